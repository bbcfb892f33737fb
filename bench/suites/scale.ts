import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Result, summarize, timed } from "../harness";
import { benchBusiness, call, meteredCall } from "./client";

/** Just over a page (25): list and filter read a full page at both sizes, so growth would show. */
const SMALL = 30;
const LARGE = 100_000;
const BULK = 500;
const SAMPLES = 5;

interface Pass {
  id: string;
  serial_number: string;
}

/** One request's D1 rows read. */
async function rowsRead(origin: string, path: string, init: RequestInit = {}): Promise<number> {
  const cost = await meteredCall(origin, path, init);
  if (cost.unmetered !== 0) process.stderr.write(`note: ${path} made ${cost.unmetered} D1 call(s) whose rows D1 does not report\n`);
  return cost.rowsRead;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `scale.rows_read.*`: D1 rows read by one request of each kind when the business holds just over a
 * page of passes and when it holds 100,000, as the ratio of the medians (1.0 = the cost does not grow);
 * `scale.search_ms` / `scale.filter_ms`: latency at 100,000 passes; `scale.bytes_per_*`: storage,
 * from the shard's SQLite file.
 */
export async function benchScale(origin: string, stateDir: string): Promise<Result[]> {
  const { businessId, key } = await benchBusiness(origin);
  const headers = { "x-api-key": key, "content-type": "application/json" };
  const api = `/api/v1/businesses/${businessId}`;
  const template = await call<{ id: string }>(origin, `${api}/templates`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Scale card", type: "loyalty", stamp_goal: 10 }),
  });
  let serial = 0;
  const newPass = () => {
    serial++;
    return {
      template_id: template.id,
      customer_name: `Customer ${serial}`,
      customer_email: `c${serial}@scale.test`,
      external_id: `ext-${serial}`,
      points: 10,
    };
  };
  // The probe's email sorts after every other, and three passes share it, at both sizes.
  const probeEmail = "zebulon@scale.test";
  const issueProbe = () => ({ ...newPass(), customer_name: "Zebulon Probe", customer_email: probeEmail });
  const probe = await call<Pass>(origin, `${api}/passes`, { method: "POST", headers, body: JSON.stringify(issueProbe()) });
  const bulk = (passes: unknown[]) => call(origin, `${api}/passes/bulk`, { method: "POST", headers, body: JSON.stringify({ passes }) });
  await bulk([issueProbe(), issueProbe(), ...Array.from({ length: SMALL - 3 }, newPass)]);

  const requests: Record<string, () => Promise<number>> = {
    issue: () => rowsRead(origin, `${api}/passes`, { method: "POST", headers, body: JSON.stringify(newPass()) }),
    get: () => rowsRead(origin, `${api}/passes/${probe.serial_number}`, { headers }),
    lookup_email: () => rowsRead(origin, `${api}/passes/lookup/email/${probeEmail}`, { headers }),
    list: () => rowsRead(origin, `${api}/passes?limit=25`, { headers }),
    search: () => rowsRead(origin, `${api}/passes?q=zebulon`, { headers }),
    filter_status: () => rowsRead(origin, `${api}/passes?status=active&limit=25`, { headers }),
    stamp: () => rowsRead(origin, `${api}/passes/${probe.id}/stamp`, { method: "POST", headers }),
  };
  const measure = async () => {
    const out: Record<string, number> = {};
    for (const [name, request] of Object.entries(requests)) {
      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) samples.push(await request());
      out[name] = median(samples);
    }
    return out;
  };

  const small = await measure();
  for (let loaded = serial; loaded < LARGE; loaded += BULK) await bulk(Array.from({ length: BULK }, newPass));
  const large = await measure();

  const results: Result[] = Object.keys(requests).map((name) => {
    const ratio = Math.round((large[name]! / small[name]!) * 100) / 100;
    return { name: `scale.rows_read.${name}`, unit: "ratio", median: ratio, p99: ratio, n: SAMPLES };
  });
  process.stderr.write(`rows read at ${SMALL} passes: ${JSON.stringify(small)}\nrows read at ${LARGE} passes: ${JSON.stringify(large)}\n`);

  const search: number[] = [];
  const filter: number[] = [];
  for (let i = 0; i < 50; i++) {
    search.push(await timed(() => call(origin, `${api}/passes?q=customer%20${1000 + i}`, { headers })));
    filter.push(await timed(() => call(origin, `${api}/passes?status=active&limit=25`, { headers })));
  }
  results.push(summarize("scale.search_ms", "ms", search), summarize("scale.filter_ms", "ms", filter));
  results.push(...storage(stateDir));
  return results;
}

/** Bytes per pass, event and ledger row, tables with their indexes (and the search index for passes). */
function storage(stateDir: string): Result[] {
  const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")) {
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    const passes = Number((db.prepare("SELECT COUNT(*) AS n FROM passes").get() as { n: number }).n);
    if (passes < LARGE) {
      db.close();
      continue;
    }
    const bytes = (pattern: string) =>
      Number((db.prepare("SELECT COALESCE(SUM(pgsize), 0) AS b FROM dbstat WHERE name GLOB ?").get(pattern) as { b: number }).b);
    const count = (table: string) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
    const perPass = (bytes("passes*") + bytes("sqlite_autoindex_passes_*")) / passes;
    const perEvent = (bytes("events*") + bytes("sqlite_autoindex_events_*")) / count("events");
    const perLedger = (bytes("ledger*") + bytes("sqlite_autoindex_ledger_entries_*")) / count("ledger_entries");
    db.close();
    const line = (name: string, value: number) => ({ name, unit: "bytes", median: Math.round(value), p99: Math.round(value), n: 1 });
    return [line("scale.bytes_per_pass", perPass), line("scale.bytes_per_event", perEvent), line("scale.bytes_per_ledger_row", perLedger)];
  }
  throw new Error("no shard file holds the loaded passes");
}
