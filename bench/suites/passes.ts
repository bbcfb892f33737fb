import { type Result, summarize, timed } from "../harness";
import { benchLoyaltyCard, call } from "./client";

/** `passes.issue` (one POST /passes) and `passes.bulk_500` (one 500-item bulk request), in ms. */
export async function benchPasses(origin: string): Promise<Result[]> {
  const { businessId, headers, templateId } = await benchLoyaltyCard(origin);
  const issueOne = (i: number) =>
    call(origin, `/api/v1/businesses/${businessId}/passes`, {
      method: "POST",
      headers,
      body: JSON.stringify({ template_id: templateId, customer_email: `c${i}@example.test`, customer_name: "Bench Customer" }),
    });

  for (let i = 0; i < 20; i++) await issueOne(i);
  const single: number[] = [];
  for (let i = 0; i < 200; i++) single.push(await timed(() => issueOne(i)));

  const bulk: number[] = [];
  for (let round = 0; round < 12; round++) {
    const passes = Array.from({ length: 500 }, (_, i) => ({
      template_id: templateId,
      customer_email: `b${round}-${i}@example.test`,
      external_id: `bulk-${round}-${i}`,
    }));
    const ms = await timed(() =>
      call(origin, `/api/v1/businesses/${businessId}/passes/bulk`, { method: "POST", headers, body: JSON.stringify({ passes }) }),
    );
    if (round > 1) bulk.push(ms);
  }
  return [summarize("passes.issue", "ms", single), summarize("passes.bulk_500", "ms", bulk)];
}
