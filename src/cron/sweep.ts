import type { DataContext } from "../db/data-context";
import { overdueDeliveries } from "../db/deliveries";
import { undispatchedBefore } from "../db/events";
import type { Tenant } from "../db/tenant";
import type { Env } from "../env";
import { type DeliveryMessage, sendAll } from "../queue/messages";

/** An event or delivery this long overdue has lost its queue message: the request's send failed, or a consumer died. */
const GRACE_MS = 60_000;
const PER_RUN = 1000;

const asMessages = (shard: string, rows: Array<{ id: string; attempts: number }>): DeliveryMessage[] =>
  rows.map((row) => ({ shard, delivery: row.id, attempt: row.attempts + 1 }));

/** Queues again what is overdue in one shard; returns how many messages were sent. */
async function sweepShard(env: Env, tenant: Tenant, now: number): Promise<number> {
  const cutoff = new Date(now - GRACE_MS).toISOString();
  const nowIso = new Date(now).toISOString();
  const [events, webhooks, wallet, email] = await Promise.all([
    undispatchedBefore(tenant.db, cutoff, PER_RUN),
    overdueDeliveries(tenant.db, "webhook_deliveries", cutoff, nowIso, PER_RUN),
    overdueDeliveries(tenant.db, "wallet_deliveries", cutoff, nowIso, PER_RUN),
    overdueDeliveries(tenant.db, "email_deliveries", cutoff, nowIso, PER_RUN),
  ]);
  const ids = events.map((e) => e.id);
  for (let i = 0; i < ids.length; i += 100)
    await env.EVENTS_QUEUE.send({ kind: "events", shard: tenant.shard, events: ids.slice(i, i + 100) });
  await sendAll(env.WEBHOOK_QUEUE, asMessages(tenant.shard, webhooks));
  await sendAll(env.WALLET_QUEUE, asMessages(tenant.shard, wallet));
  await sendAll(env.EMAIL_QUEUE, asMessages(tenant.shard, email));
  return events.length + webhooks.length + wallet.length + email.length;
}

/**
 * The minute cron's safety net for the pipeline: events whose ids never reached the queue, and
 * deliveries whose message was lost, are queued again — late, never lost. Fan-out and delivery
 * are idempotent, so queueing something twice does nothing twice.
 */
export async function sweepPipeline(env: Env, data: DataContext, shards: string[], now = Date.now()): Promise<number> {
  let sent = 0;
  for (const shard of shards) sent += await sweepShard(env, data.tenant(shard), now);
  return sent;
}
