import { type Config, loadConfig } from "../config";
import { DataContext } from "../db/data-context";
import type { Settlement, WebhookDeliveryRow } from "../db/deliveries";
import { type EventRow, findEvents } from "../db/events";
import type { Tenant } from "../db/tenant";
import {
  disableEndpoint,
  findEndpointsByIds,
  markEndpointFailing,
  markEndpointHealthy,
  type WebhookEndpointRow,
} from "../db/webhook-endpoints";
import { type AttemptResult, attemptDelivery } from "../domain/webhooks/delivery";
import { urlPolicy } from "../domain/webhooks/endpoints";
import type { Env } from "../env";
import { chunk } from "../lib/chunk";
import { byShard, claimAttempts, nextAttemptAt, type Outcome, settleAttempts } from "./deliveries";
import type { DeliveryMessage } from "./messages";

/** Longer than a delivery can take (15 s), so a lease never lapses under a live attempt. */
const LEASE_MS = 60_000;
/** An endpoint that has failed every delivery for this long is disabled. */
const FAILING_FOR_MS = 5 * 24 * 60 * 60 * 1000;

/** What a failed attempt leads to: the next try on the schedule (or later, if the receiver asked), or giving up. */
function retryOrGiveUp(config: Config, attempt: number, result: Extract<AttemptResult, { outcome: "failed" }>): Settlement {
  const delay = config.WEBHOOK_RETRY_SCHEDULE[attempt - 1];
  if (delay === undefined) return { status: "failed", error: `${result.error}; gave up after ${attempt} attempts` };
  return { status: "pending", error: result.error, nextAttemptAt: nextAttemptAt(Math.max(delay, result.retryAfterSeconds ?? 0)) };
}

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

async function loadAll<T>(ids: string[], load: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (const part of chunk([...new Set(ids)], 90)) rows.push(...(await load(part)));
  return rows;
}

/** One claimed delivery's attempt, and what it changes about its endpoint's health. */
async function attempt(
  config: Config,
  tenant: Tenant,
  claim: { message: Message<DeliveryMessage>; row: WebhookDeliveryRow },
  endpoint: WebhookEndpointRow | undefined,
  event: EventRow | undefined,
): Promise<Outcome & { health?: D1PreparedStatement }> {
  const { message } = claim;
  if (!endpoint || !event) return { message, settlement: { status: "failed", error: "The endpoint or the event no longer exists" } };
  if (endpoint.status === "disabled") {
    return { message, settlement: { status: "failed", error: `Endpoint disabled: ${endpoint.disabled_reason ?? ""}`.trim() } };
  }
  const result = await attemptDelivery(endpoint, event, claim.row.id, { policy: urlPolicy(config) });
  const now = new Date();
  if (result.outcome === "delivered") {
    const health = endpoint.failing_since ? markEndpointHealthy(tenant.db, endpoint.id) : undefined;
    return { message, settlement: { status: "succeeded" }, statusCode: result.statusCode, ...(health ? { health } : {}) };
  }
  if (result.outcome === "gone") {
    const health = disableEndpoint(tenant.db, endpoint.id, "The receiver answered 410 Gone", now.toISOString());
    return { message, settlement: { status: "failed", error: "Answered 410 Gone: endpoint disabled" }, statusCode: 410, health };
  }
  const disableBefore = new Date(now.getTime() - FAILING_FOR_MS).toISOString();
  const health = markEndpointFailing(tenant.db, endpoint.id, { now: now.toISOString(), disableBefore });
  return { message, settlement: retryOrGiveUp(config, message.body.attempt, result), statusCode: result.statusCode, health };
}

/** A shard's share of a batch: claims, endpoints and events read in a few queries, POSTs in parallel, outcomes in one batch. */
async function deliverFromShard(env: Env, config: Config, tenant: Tenant, messages: Message<DeliveryMessage>[]): Promise<void> {
  const claims = await claimAttempts<WebhookDeliveryRow>(tenant, "webhook_deliveries", messages, LEASE_MS);
  if (claims.length === 0) return;
  const [endpoints, events] = await Promise.all([
    loadAll(
      claims.map((c) => c.row.endpoint_id),
      (ids) => findEndpointsByIds(tenant.db, ids),
    ).then(byId),
    loadAll(
      claims.map((c) => c.row.event_id),
      (ids) => findEvents(tenant.db, ids),
    ).then(byId),
  ]);
  const outcomes = await Promise.all(
    claims.map((c) => attempt(config, tenant, c, endpoints.get(c.row.endpoint_id), events.get(c.row.event_id))),
  );
  const health = outcomes.flatMap((o) => (o.health ? [o.health] : []));
  await settleAttempts(tenant, "webhook_deliveries", env.WEBHOOK_QUEUE, outcomes, health);
}

/** The webhook-delivery consumer: one signed POST per delivery, retried on the schedule until it is answered 2xx. */
export async function consumeWebhookDeliveries(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const data = new DataContext(env);
  await Promise.all(
    [...byShard(batch.messages)].map(async ([shard, messages]) => {
      try {
        await deliverFromShard(env, config, data.tenant(shard), messages);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", message: "webhook deliveries failed", shard, error: String(error) }));
        for (const message of messages) message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
