import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRelayProcess } from "../../relay/launch.ts";
import { type ApnsStandIn, startApnsStandIn } from "../../test/support/apns-stand-in";
import { type Result, summarize, timed } from "../harness";
import { call } from "./client";

const BATCH = 1000;
const BATCHES = 10;

/** The local HTTP/2 APNs stand-in and the relay aimed at it; `vars` point the bench Worker at the relay. */
export async function startApnsRelayStack() {
  const standIn = await startApnsStandIn();
  const dir = mkdtempSync(join(tmpdir(), "passlite-bench-apns-"));
  const caFile = join(dir, "stand-in.pem");
  writeFileSync(caFile, standIn.certificatePem);
  const secret = randomBytes(32).toString("hex");
  const relay = await startRelayProcess({
    env: { APNS_RELAY_SECRET: secret, APNS_PRODUCTION_ORIGIN: standIn.origin, APNS_SANDBOX_ORIGIN: standIn.origin, APNS_CA_FILE: caFile },
  });
  return {
    standIn,
    vars: { APNS_RELAY_URL: relay.origin, APNS_RELAY_SECRET: secret },
    stop: async () => {
      await relay.stop();
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `apns.relay_batch` (ms per batch) and `apns.relay_pushes_per_s`: 10,000 pass-update pushes, Worker → relay → HTTP/2 stand-in, in
 * batches of 1,000 (one relay request each, as the queue consumer sends them). Median is the rate
 * of the median batch; p99 the rate of the slowest 1% of batches.
 */
export async function benchApnsRelay(origin: string, standIn: ApnsStandIn): Promise<Result[]> {
  const push = async (run: string) => {
    const before = standIn.requests.length;
    const { ok } = await call<{ ok: number }>(origin, `/__bench/apns-relay?n=${BATCH}&run=${run}`);
    if (ok !== BATCH || standIn.requests.length - before !== BATCH) {
      throw new Error(`apns bench: ${ok} of ${BATCH} accepted, ${standIn.requests.length - before} arrived`);
    }
  };
  await push("warm"); // provider token minted, relay connected
  const ms: number[] = [];
  for (let i = 0; i < BATCHES; i++) ms.push(await timed(() => push(String(i))));
  const latency = summarize("apns.relay_batch", "ms", ms);
  const rate = (batchMs: number) => Math.round((BATCH / batchMs) * 1000);
  return [
    latency,
    { name: "apns.relay_pushes_per_s", unit: "pushes/s", median: rate(latency.median), p99: rate(latency.p99), n: BATCH * BATCHES },
  ];
}
