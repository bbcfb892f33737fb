import type { EventRow } from "../../db/events";
import type { WebhookEndpointRow } from "../../db/webhook-endpoints";
import { presentEventData } from "../events";
import { signatureHeaders } from "./signing";
import { type UrlPolicy, webhookUrlProblem } from "./url-policy";

/** A receiver must answer 2xx within this long; anything else is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * The body every receiver gets: the reference's `{event, timestamp, data}` with `data` the pass
 * as the change left it (its `mode` too), plus `id`, the event's id — the same on every retry,
 * so receivers can drop duplicates.
 */
export function webhookPayload(event: EventRow): string {
  return JSON.stringify({
    id: event.id,
    event: event.type,
    timestamp: event.created_at,
    data: { ...presentEventData(event), mode: event.mode },
  });
}

export type AttemptResult =
  | { outcome: "delivered"; statusCode: number }
  /** 410 Gone: the receiver asks never to be called again. */
  | { outcome: "gone"; statusCode: number }
  | { outcome: "failed"; statusCode: number | null; error: string; retryAfterSeconds?: number };

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The secrets that sign now: the current one, and the previous one during its 24 hours after a rotation. */
export function signingSecrets(endpoint: WebhookEndpointRow, now: string): string[] {
  const previousValid = endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now;
  return previousValid ? [endpoint.secret, endpoint.previous_secret!] : [endpoint.secret];
}

/** One attempt: the URL checked again (DNS may have changed), then a signed POST, never following redirects. */
export async function attemptDelivery(
  endpoint: WebhookEndpointRow,
  event: EventRow,
  deliveryId: string,
  deps: { policy: UrlPolicy; fetcher?: typeof fetch; now?: Date },
): Promise<AttemptResult> {
  const problem = await webhookUrlProblem(endpoint.url, deps.policy);
  if (problem) return { outcome: "failed", statusCode: null, error: `Not delivered: ${problem}` };
  const now = deps.now ?? new Date();
  const body = webhookPayload(event);
  const headers = await signatureHeaders(body, {
    eventId: event.id,
    deliveryId,
    eventType: event.type,
    secrets: signingSecrets(endpoint, now.toISOString()),
    timestamp: Math.floor(now.getTime() / 1000),
  });
  let res: Response;
  try {
    res = await (deps.fetcher ?? fetch)(endpoint.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { outcome: "failed", statusCode: null, error: timedOut ? "No answer within 15 s" : `Could not connect: ${String(error)}` };
  }
  await res.body?.cancel();
  if (res.status >= 200 && res.status < 300) return { outcome: "delivered", statusCode: res.status };
  if (res.status === 410) return { outcome: "gone", statusCode: 410 };
  const retryAfter = retryAfterSeconds(res.headers.get("retry-after"));
  return {
    outcome: "failed",
    statusCode: res.status,
    error: `Answered ${res.status}`,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}
