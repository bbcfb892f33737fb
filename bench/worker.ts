// Bench-only Worker entry: the real Worker plus bare twins of routes (the same handler
// without auth, rate limiting and idempotency), so `npm run bench` can measure what the
// guard path adds. Never deployed: wrangler.toml's `main` is src/index.ts.
import { getBusiness } from "../src/domain/businesses";
import type { Env } from "../src/env";
import worker from "../src/index";
import { createApp } from "../src/lib/create-app";

export { CredentialGuard } from "../src/index";

const bench = createApp();
bench.get("/__bench/bare/businesses/me", async (c) => c.json(await getBusiness(c.var.db, c.req.query("business_id") ?? ""), 200));

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname.startsWith("/__bench/")) return bench.fetch(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
