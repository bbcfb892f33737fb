// Bench-only Worker entry: the real Worker plus bare twins of routes (the same handler
// without auth, rate limiting and idempotency), so `npm run bench` can measure what the
// guard path adds. Never deployed: wrangler.toml's `main` is src/index.ts.
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

export { ApnsRelayContainer, CredentialGuard } from "../src/index";

const bench = createApp();
bench.get("/__bench/bare/businesses/me", async (c) => c.json(await getBusiness(c.var.control, c.req.query("business_id") ?? ""), 200));

// n builds per request, so per-pass time is request time / n with the HTTP cost amortised.
bench.get("/__bench/pkpass", async (c) => {
  const ctx = (await loadPassContextBySerial(c.env, c.var.control, c.req.query("serial") ?? ""))!;
  const wallet = await appleWallet(c.var.config);
  let bytes = 0;
  for (let i = 0; i < Number(c.req.query("n") ?? 1); i++) {
    bytes += (await buildPkpass(await applePassFiles(ctx, wallet.identity, c.env.IMAGES), wallet.signer)).byteLength;
  }
  return c.json({ bytes });
});

bench.get("/__bench/google-save-link", async (c) => {
  const ctx = (await loadPassContextBySerial(c.env, c.var.control, c.req.query("serial") ?? ""))!;
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

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname.startsWith("/__bench/")) return bench.fetch(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
