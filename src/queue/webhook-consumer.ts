import { type Config, loadConfig } from "../config";
import { DataContext } from "../db/data-context";
import type { Settlement, WebhookDeliveryRow } from "../db/deliveries";
import { findEvent } from "../db/events";
import type { Tenant } from "../db/tenant";
import { disableEndpoint, findEndpointById, markEndpointFailing, markEndpointHealthy } from "../db/webhook-endpoints";
import { type AttemptResult, attemptDelivery } from "../domain/webhooks/delivery";
import { urlPolicy } from "../domain/webhooks/endpoints";
import type { Env } from "../env";
import { claimAttempt, nextAttemptAt, settleAttempt } from "./deliveries";
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

async function deliver(env: Env, config: Config, tenant: Tenant, message: Message<DeliveryMessage>): Promise<void> {
  const delivery = await claimAttempt<WebhookDeliveryRow>(tenant, "webhook_deliveries", message, LEASE_MS);
  if (!delivery) return;
  const settle = (settlement: Settlement, statusCode?: number | null) =>
    settleAttempt(tenant, "webhook_deliveries", env.WEBHOOK_QUEUE, message, settlement, statusCode);
  const [endpoint, [event]] = await Promise.all([
    findEndpointById(tenant.db, delivery.endpoint_id),
    findEvent(tenant.db, delivery.event_id),
  ]);
  if (!endpoint || !event) return settle({ status: "failed", error: "The endpoint or the event no longer exists" });
  if (endpoint.status === "disabled")
    return settle({ status: "failed", error: `Endpoint disabled: ${endpoint.disabled_reason ?? ""}`.trim() });

  const result = await attemptDelivery(endpoint, event, delivery.id, { policy: urlPolicy(config) });
  const now = new Date();
  if (result.outcome === "delivered") {
    await markEndpointHealthy(tenant.db, endpoint.id).run();
    return settle({ status: "succeeded" }, result.statusCode);
  }
  if (result.outcome === "gone") {
    await disableEndpoint(tenant.db, endpoint.id, "The receiver answered 410 Gone", now.toISOString()).run();
    return settle({ status: "failed", error: "Answered 410 Gone: endpoint disabled" }, 410);
  }
  const disableBefore = new Date(now.getTime() - FAILING_FOR_MS).toISOString();
  await markEndpointFailing(tenant.db, endpoint.id, { now: now.toISOString(), disableBefore }).run();
  return settle(retryOrGiveUp(config, message.body.attempt, result), result.statusCode);
}

/** The webhook-delivery consumer: one signed POST per delivery, retried on the schedule until it is answered 2xx. */
export async function consumeWebhookDeliveries(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const data = new DataContext(env);
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await deliver(env, config, data.tenant(message.body.shard), message);
      } catch (error) {
        console.error(
          JSON.stringify({ level: "error", message: "webhook delivery failed", delivery: message.body.delivery, error: String(error) }),
        );
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
