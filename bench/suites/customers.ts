import { type Result, summarize, timed } from "../harness";
import { benchLoyaltyCard, call } from "./client";

const ROUNDS = 300;
/**
 * Emails per side: each is asked for 3 times (under the 5-an-hour limit), so on both sides a
 * request as often meets a fresh throttle instance as a warm one — the only difference left is
 * whether the email holds passes.
 */
const EMAILS = ROUNDS / 3;

/**
 * `customer.magic_link.known` / `.unknown`: POST /public/customer/magic-link for an email with
 * live passes and for one without, interleaved in pairs so machine noise hits both alike, each
 * from a client address of its own (so no per-address limit is reached). `.gap` is the paired
 * difference known − unknown: the no-enumeration rule says it should be noise around zero.
 */
export async function benchMagicLink(origin: string): Promise<Result[]> {
  const { businessId, headers, templateId } = await benchLoyaltyCard(origin);
  const passes = Array.from({ length: EMAILS }, (_, i) => ({ template_id: templateId, customer_email: `known-${i}@example.test` }));
  await call(origin, `/api/v1/businesses/${businessId}/passes/bulk`, { method: "POST", headers, body: JSON.stringify({ passes }) });

  let address = 0;
  const ask = (email: string) => {
    address++;
    return fetch(`${origin}/api/v1/public/customer/magic-link`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "cf-connecting-ip": `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
      },
      body: JSON.stringify({ email }),
    }).then(async (res) => {
      if (res.status !== 200) throw new Error(`magic link → ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    });
  };
  for (let i = 0; i < 20; i++) await Promise.all([ask(`warm-${i}@example.test`), ask(`warm-${i}@example.test`)]);

  const known: number[] = [];
  const unknown: number[] = [];
  const gap: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const knownAsk = () => ask(`known-${i % EMAILS}@example.test`);
    const unknownAsk = () => ask(`nobody-${i % EMAILS}@example.test`);
    // Alternate which goes first, so neither always runs on the warmer isolate.
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await timed(knownAsk);
      b = await timed(unknownAsk);
    } else {
      b = await timed(unknownAsk);
      a = await timed(knownAsk);
    }
    known.push(a);
    unknown.push(b);
    gap.push(a - b);
  }
  return [
    summarize("customer.magic_link.known", "ms", known),
    summarize("customer.magic_link.unknown", "ms", unknown),
    summarize("customer.magic_link.gap", "ms", gap),
  ];
}
