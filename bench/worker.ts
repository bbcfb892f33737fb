// Bench-only Worker entry: the real Worker plus bare twins of routes (the same handler
// without auth, rate limiting and idempotency), so `npm run bench` can measure what the
// guard path adds. Never deployed: wrangler.toml's `main` is src/index.ts.

import { D1Meter, MeteredD1 } from "../src/db/metered";
import { shardDatabase } from "../src/db/shards";
import { getBusiness } from "../src/domain/businesses";
import type { Env } from "../src/env";
import worker from "../src/index";
import { createApp } from "../src/lib/create-app";
import { apnsClient } from "../src/wallet/apple/apns-config";
import { applePassFiles } from "../src/wallet/apple/build";
import { appleWallet } from "../src/wallet/apple/config";
import { buildPkpass } from "../src/wallet/apple/pkpass";
import { loadPassContextBySerial } from "../src/wallet/context";
import { googleSaveUrl } from "../src/wallet/google/links";

export { ApnsRelayContainer, CredentialGuard, Throttle } from "../src/index";

const bench = createApp();
bench.get("/__bench/bare/businesses/me", async (c) => c.json(await getBusiness(c.var.data.control, c.req.query("business_id") ?? ""), 200));

// n builds per request, so per-pass time is request time / n with the HTTP cost amortised.
bench.get("/__bench/pkpass", async (c) => {
  const ctx = (await loadPassContextBySerial(c.var.data, c.req.query("serial") ?? ""))!;
  const wallet = await appleWallet(c.var.config);
  let bytes = 0;
  for (let i = 0; i < Number(c.req.query("n") ?? 1); i++) {
    bytes += (await buildPkpass(await applePassFiles(ctx, wallet.identity, c.env.IMAGES), wallet.signer)).byteLength;
  }
  return c.json({ bytes });
});

bench.get("/__bench/google-save-link", async (c) => {
  const ctx = (await loadPassContextBySerial(c.var.data, c.req.query("serial") ?? ""))!;
  let length = 0;
  for (let i = 0; i < Number(c.req.query("n") ?? 1); i++) length += (await googleSaveUrl(c.var.config, ctx))?.length ?? 0;
  return c.json({ length });
});

// n pass-update pushes to fresh tokens in one pushPassUpdates call: through the relay, one request per 1,000.
bench.get("/__bench/apns-relay", async (c) => {
  const run = c.req.query("run") ?? "";
  const targets = Array.from({ length: Number(c.req.query("n") ?? 1) }, (_, i) => ({
    pushToken: `bench-${run}-${i}`,
    passTypeIdentifier: "pass.dev.passlite.local",
  }));
  const outcomes = await apnsClient(c.env, c.var.config)!.pushPassUpdates(targets);
  return c.json({ ok: outcomes.filter((o) => o.ok).length });
});

/**
 * With `x-bench-meter`, the request runs against metered copies of every D1 binding and a
 * counting copy of the guard namespace, and the answer says what it cost: D1 calls and rows
 * read (rows of `raw()` calls, which carry no counts, are reported as unmetered calls) and
 * Durable Object calls — the stateful round trips one request makes.
 */
async function metered(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const meter = new D1Meter();
  const wrapped: Record<string, unknown> = { ...env };
  for (const name of D1_BINDINGS) wrapped[name] = new MeteredD1(shardDatabase(env, name), meter);
  const objectCalls = { count: 0 };
  wrapped.CREDENTIAL_GUARD = countingNamespace(env.CREDENTIAL_GUARD, objectCalls);
  const response = await worker.fetch(request, wrapped as unknown as Env, ctx);
  const body = await response.arrayBuffer();
  const headers = new Headers(response.headers);
  headers.set("x-bench-d1-calls", String(meter.calls));
  headers.set("x-bench-d1-rows-read", String(meter.rowsRead));
  headers.set("x-bench-d1-unmetered", String(meter.unmetered));
  headers.set("x-bench-do-calls", String(objectCalls.count));
  return new Response(body, { status: response.status, headers });
}

/** The namespace, but every RPC call on a stub it hands out is counted. */
function countingNamespace<T extends Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>, calls: { count: number }) {
  return new Proxy(namespace, {
    get(target, property) {
      if (property !== "get") return Reflect.get(target, property, target).bind(target);
      return (id: DurableObjectId) => {
        const stub = target.get(id);
        return new Proxy(stub, {
          get(inner, method) {
            const member = Reflect.get(inner, method, inner);
            if (typeof member !== "function") return member;
            return (...args: unknown[]) => {
              calls.count++;
              // Reflect.apply: on an RPC stub, `member.apply` would itself be a remote method.
              return Reflect.apply(member, inner, args);
            };
          },
        });
      };
    },
  });
}

/** The bench deploys two D1 bindings (wrangler.toml): the control database, which is also a shard, and a second shard. */
const D1_BINDINGS = ["DB", "DB_SHARD_1"];

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname.startsWith("/__bench/")) return bench.fetch(request, env, ctx);
    if (request.headers.has("x-bench-meter")) return metered(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
  queue: worker.queue,
} satisfies ExportedHandler<Env, never>;
