import { type Result, summarize, timed } from "../harness";
import { benchBusiness } from "./client";

const ROUNDS = 400;

/**
 * `api.auth_overhead`: what authentication + rate limiting + idempotency add to a request.
 * The same route is timed with and without them, interleaved so machine noise hits both
 * alike; the reported figure is the difference of paired samples.
 */
export async function benchAuthOverhead(origin: string): Promise<Result[]> {
  const { businessId, key } = await benchBusiness(origin);
  const guarded = () => fetch(`${origin}/api/v1/businesses/me`, { headers: { "x-api-key": key } }).then((r) => r.arrayBuffer());
  const bare = () => fetch(`${origin}/__bench/bare/businesses/me?business_id=${businessId}`).then((r) => r.arrayBuffer());
  for (let i = 0; i < 50; i++) await Promise.all([guarded(), bare()]);

  const withGuard: number[] = [];
  const without: number[] = [];
  const overhead: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const a = await timed(guarded);
    const b = await timed(bare);
    withGuard.push(a);
    without.push(b);
    overhead.push(a - b);
  }
  return [
    summarize("api.auth_overhead", "ms", overhead),
    summarize("api.get_business.guarded", "ms", withGuard),
    summarize("api.get_business.bare", "ms", without),
  ];
}
