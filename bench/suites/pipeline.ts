import { createServer } from "node:http";
import { type Result, summarize } from "../harness";
import { benchBusiness, call } from "./client";

const SINGLE = 60;
const BULK_ROUNDS = 5;
const BULK = 500;

/** A local webhook receiver: answers 204 and notes when each pass's delivery arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: { id: string } };
      if (!arrivals.has(body.data.id)) arrivals.set(body.data.id, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hook`, arrivals, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("the pipeline did not deliver in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * `events.fanout_ms`: from the API's answer to a change (its batch has committed) to the first
 * delivery attempt reaching a receiver, through the outbox, the fan-out and the webhook queue.
 * `webhooks.deliveries_per_s`: deliveries a receiver gets per second while 2,500 issued passes
 * fan out.
 */
export async function benchPipeline(origin: string): Promise<Result[]> {
  const receiver = await startReceiver();
  try {
    const { businessId, key } = await benchBusiness(origin);
    const headers = { "x-api-key": key };
    const api = `/api/v1/businesses/${businessId}`;
    const template = await call<{ id: string }>(origin, `${api}/templates`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Bench card", type: "loyalty" }),
    });
    await call(origin, `${api}/webhooks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ url: receiver.url, events: ["pass.created"] }),
    });

    const latencies: number[] = [];
    for (let i = 0; i < SINGLE; i++) {
      const pass = await call<{ id: string }>(origin, `${api}/passes`, {
        method: "POST",
        headers,
        body: JSON.stringify({ template_id: template.id }),
      });
      const committed = performance.now();
      await until(() => receiver.arrivals.has(pass.id), 30_000);
      latencies.push(receiver.arrivals.get(pass.id)! - committed);
    }

    const before = receiver.arrivals.size;
    const started = performance.now();
    for (let round = 0; round < BULK_ROUNDS; round++) {
      const passes = Array.from({ length: BULK }, () => ({ template_id: template.id }));
      await call(origin, `${api}/passes/bulk`, { method: "POST", headers, body: JSON.stringify({ passes }) });
    }
    await until(() => receiver.arrivals.size >= before + BULK_ROUNDS * BULK, 120_000);
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round((BULK_ROUNDS * BULK) / seconds);
    return [
      { name: "webhooks.deliveries_per_s", unit: "deliveries/s", median: rate, p99: rate, n: BULK_ROUNDS * BULK },
      summarize("events.fanout_ms", "ms", latencies),
    ];
  } finally {
    await receiver.stop();
  }
}
