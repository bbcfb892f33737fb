import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { signBarcode } from "../../src/domain/barcodes";
import { BARCODE_SECRET, type Result, summarize } from "../harness";
import { benchBusiness, call } from "./client";

const PASSES = 10_000;
const BULK = 500;
const SEQUENTIAL = 1_000;
const SCANNERS = 20;
const PER_SCANNER = 200;

interface Timed {
  ms: number;
  /** The Worker's own time for the request, from `Server-Timing: app;dur=…`, and the part spent waiting on D1. */
  app: number;
  db: number;
}

const serverTiming = (header: string | null, name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(header ?? "")?.[1] ?? NaN);

async function post(origin: string, path: string, headers: Record<string, string>, body: unknown, expected: number): Promise<Timed> {
  const start = performance.now();
  const res = await fetch(`${origin}${path}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== expected) throw new Error(`POST ${path} → ${res.status} ${text}`);
  const timing = res.headers.get("server-timing");
  return { ms, app: serverTiming(timing, "app"), db: serverTiming(timing, "db") };
}

/** Events not yet fanned out and deliveries not yet made, across the local D1 files. */
function pipelineBacklog(stateDir: string): number {
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  let backlog = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")) {
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    try {
      const row = db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM events WHERE dispatched_at IS NULL)
            + (SELECT COUNT(*) FROM wallet_deliveries WHERE status = 'pending')
            + (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending') AS n`,
        )
        .get() as { n: number } | undefined;
      backlog += Number(row?.n ?? 0);
    } catch {
      // A database without the tables (DO metadata) holds no backlog.
    } finally {
      db.close();
    }
  }
  return backlog;
}

/** Issuing 10,000 passes queues 10,000 pass.created events: measure scans once the pipeline has drained them. */
async function pipelineDrained(stateDir: string): Promise<void> {
  for (let i = 0; i < 600 && pipelineBacklog(stateDir) > 0; i++) await new Promise((r) => setTimeout(r, 500));
}

/**
 * Door scanning over 10,000 signed one-time tickets: `scan.verify` and `scan.checkin` (end to
 * end, ms), `scan.checkin.app` (the Worker's own time, Server-Timing app;dur) and
 * `scan.checkin.db` (its D1 share), and `scan.per_s` (check-ins per second from 20 scanners at
 * once, each with its own API key, as door devices are).
 */
export async function benchScan(origin: string, stateDir: string): Promise<Result[]> {
  const { businessId, bearer } = await benchBusiness(origin);
  const asOwner = { authorization: `Bearer ${bearer}` };
  const api = `/api/v1/businesses/${businessId}`;
  const template = await call<{ id: string }>(origin, `${api}/templates`, {
    method: "POST",
    headers: asOwner,
    body: JSON.stringify({ name: "Bench gig", type: "event_ticket", scan_security: { signed_barcodes: true, cooldown_seconds: 0 } }),
  });
  const serials: string[] = [];
  for (let issued = 0; issued < PASSES; issued += BULK) {
    const passes = Array.from({ length: BULK }, (_, i) => ({ template_id: template.id, customer_name: `Guest ${issued + i}` }));
    const result = await call<{ results: Array<{ pass: { serial_number: string } }> }>(origin, `${api}/passes/bulk`, {
      method: "POST",
      headers: asOwner,
      body: JSON.stringify({ passes }),
    });
    serials.push(...result.results.map((r) => r.pass.serial_number));
  }
  // The barcodes the wallets carry: the validation URL with its signature.
  const codes = await Promise.all(
    serials.map(async (s) => `${origin}/validate/${s}?sig=${await signBarcode(BARCODE_SECRET, businessId, s, 1)}`),
  );
  const keys: Array<Record<string, string>> = [];
  for (let i = 0; i < SCANNERS; i++) {
    const { key } = await call<{ key: string }>(origin, `${api}/api-keys`, {
      method: "POST",
      headers: asOwner,
      body: JSON.stringify({ name: `Door ${i}`, mode: "live", scopes: ["scan"] }),
    });
    keys.push({ "x-api-key": key });
  }
  const scan = (door: Record<string, string>, code: string, action: "verify" | "checkin", expected = 200) =>
    post(origin, `${api}/scan`, door, { code, action, device: "bench" }, expected);

  await pipelineDrained(stateDir);
  // Warm the isolate, the key lookups and each door's guard.
  for (const door of keys) await scan(door, codes.at(-1)!, "verify");

  const verify: Timed[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) verify.push(await scan(keys[0]!, codes[(i * 7919) % PASSES]!, "verify"));

  const checkin: Timed[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) checkin.push(await scan(keys[0]!, codes[i]!, "checkin"));

  // 20 scanners at once, each checking in its own queue of guests.
  let next = SEQUENTIAL;
  const start = performance.now();
  await Promise.all(
    keys.map(async (door) => {
      for (let i = 0; i < PER_SCANNER; i++) await scan(door, codes[next++]!, "checkin");
    }),
  );
  const perSecond = (SCANNERS * PER_SCANNER) / ((performance.now() - start) / 1000);
  // Every one of those tickets is now spent: a second scan is refused.
  await scan(keys[1]!, codes[0]!, "checkin", 429);

  const rate = Math.round(perSecond);
  return [
    summarize(
      "scan.verify",
      "ms",
      verify.map((t) => t.ms),
    ),
    summarize(
      "scan.verify.app",
      "ms",
      verify.map((t) => t.app),
    ),
    summarize(
      "scan.checkin",
      "ms",
      checkin.map((t) => t.ms),
    ),
    summarize(
      "scan.checkin.app",
      "ms",
      checkin.map((t) => t.app),
    ),
    summarize(
      "scan.checkin.db",
      "ms",
      checkin.map((t) => t.db),
    ),
    { name: "scan.per_s", unit: "checkins/s", median: rate, p99: rate, n: SCANNERS * PER_SCANNER },
  ];
}
