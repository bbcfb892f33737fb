import { type Result, summarize } from "../harness";
import { benchLoyaltyCard, call, meteredCall } from "./client";

const SAMPLES = 20;

/**
 * `api.stateful_calls.keyed_get` and `api.stateful_calls.issue`: the D1 and Durable Object calls
 * one request makes (each is a network round trip in production), counted by the bench Worker's
 * wrapped bindings, for a keyed `GET /businesses/me` and for issuing a pass with an
 * Idempotency-Key. Counted on a warm key: the guard reads its grant from D1 on first use only.
 */
export async function benchStatefulCalls(origin: string): Promise<Result[]> {
  const { businessId, templateId, headers: keyed } = await benchLoyaltyCard(origin);
  const headers = { ...keyed, "content-type": "application/json" };
  const api = `/api/v1/businesses/${businessId}`;
  await call(origin, "/api/v1/businesses/me", { headers });

  const keyedGet: number[] = [];
  const issue: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const get = await meteredCall(origin, "/api/v1/businesses/me", { headers });
    keyedGet.push(get.d1Calls + get.objectCalls);
    const issued = await meteredCall(origin, `${api}/passes`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": `bench-${crypto.randomUUID()}` },
      body: JSON.stringify({ template_id: templateId, customer_email: `c${i}@example.test`, external_id: crypto.randomUUID() }),
    });
    issue.push(issued.d1Calls + issued.objectCalls);
  }
  return [summarize("api.stateful_calls.keyed_get", "calls", keyedGet), summarize("api.stateful_calls.issue", "calls", issue)];
}
