import { env } from "cloudflare:test";
import { json, keyAuth, request } from "./api";
import { type RecordedRequest, recorded, waitForRecorded } from "./recorder";

/** Waits until every shard's outbox is dispatched and no delivery is pending: the pipeline has settled. */
export async function pipelineIdle(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let busy = 0;
    for (const db of [env.DB, env.DB_SHARD_1]) {
      const row = await db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM events WHERE dispatched_at IS NULL)
            + (SELECT COUNT(*) FROM wallet_deliveries WHERE status = 'pending')
            + (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending')
            + (SELECT COUNT(*) FROM email_deliveries WHERE status = 'pending') AS n`,
        )
        .first<{ n: number }>();
      busy += row!.n;
    }
    if (busy === 0) return;
    if (Date.now() > deadline) {
      const outstanding = [];
      for (const db of [env.DB, env.DB_SHARD_1]) {
        const rows = await db
          .prepare(
            `SELECT 'event ' || type AS what, id FROM events WHERE dispatched_at IS NULL
             UNION ALL SELECT 'wallet ' || target || ' ' || COALESCE(last_error, ''), id FROM wallet_deliveries WHERE status = 'pending'
             UNION ALL SELECT 'webhook ' || event_type || ' ' || COALESCE(last_error, ''), id FROM webhook_deliveries WHERE status = 'pending'
             UNION ALL SELECT 'email ' || target || ' ' || COALESCE(last_error, ''), id FROM email_deliveries WHERE status = 'pending'`,
          )
          .all<{ what: string; id: string }>();
        outstanding.push(...rows.results.map((r) => `${r.what} (${r.id})`));
      }
      throw new Error(`the pipeline did not settle: ${outstanding.join("; ")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A webhook receiver: a fresh path on the local recorder, which answers 200 unless told otherwise. */
export function receiver() {
  const path = `/hooks/${crypto.randomUUID()}`;
  return {
    path,
    url: `${env.RECORDER_ORIGIN}${path}`,
    received: () => recorded(path),
    waitFor: (count = 1, timeoutMs = 20_000) => waitForRecorded(path, count, timeoutMs),
  };
}

export interface Delivery {
  id: string;
  event: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export const bodyOf = (request: RecordedRequest) => JSON.parse(request.body) as Delivery;

export async function createWebhook(businessId: string, key: string, body: Record<string, unknown>) {
  return json<{ id: string; secret: string; url: string; events: string[] }>(
    await request(`/businesses/${businessId}/webhooks`, { method: "POST", headers: keyAuth(key), json: body }),
    201,
  );
}
