import type { Config } from "../../config";
import { findWebhookDelivery, insertWebhookDelivery, listWebhookDeliveries, redeliver, type WebhookDeliveryRow } from "../../db/deliveries";
import { insertBusinessEvent } from "../../db/events";
import type { Tenant } from "../../db/tenant";
import {
  deleteEndpoint,
  type EndpointChanges,
  findEndpoint,
  insertEndpointWithinLimit,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
  type WebhookEndpointRow,
} from "../../db/webhook-endpoints";
import { ApiError, assertSomethingToUpdate } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { toPage } from "../../lib/pagination";
import type { DeliveryMessage } from "../../queue/messages";
import type { Principal } from "../../types";
import { PING_EVENT, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../enums";
import { limitReached, PLANS } from "../plans";
import { newWebhookSecret } from "./signing";
import { dohResolver, webhookUrlProblem } from "./url-policy";

/** How long the previous secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export function presentEndpoint(row: WebhookEndpointRow) {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    description: row.description,
    status: row.status,
    disabled_reason: row.disabled_reason,
    mode: row.mode,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function presentDelivery(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    event_id: row.event_id,
    event: row.event_type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: row.status === "pending" ? row.next_attempt_at : null,
    delivered_at: row.delivered_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export const urlPolicy = (config: Config) => ({
  allowLocalHttp: config.ENVIRONMENT === "development",
  resolve: dohResolver(config.DNS_RESOLVER_URL),
});

async function checkUrl(config: Config, url: string): Promise<void> {
  const problem = await webhookUrlProblem(url, urlPolicy(config));
  if (problem) throw new ApiError("validation_error", problem, { fields: [{ path: "url", message: problem }] });
}

async function loadEndpoint(tenant: Tenant, principal: Principal, id: string): Promise<WebhookEndpointRow> {
  const row = await findEndpoint(tenant.db, principal.businessId, principal.mode, id);
  if (!row) throw new ApiError("not_found", `Webhook ${id} does not exist`);
  return row;
}

export async function createEndpoint(
  tenant: Tenant,
  principal: Principal,
  config: Config,
  input: { url: string; events?: string[]; description?: string | null },
) {
  await checkUrl(config, input.url);
  const secret = newWebhookSecret();
  const events = input.events ? [...new Set(input.events)] : [...WEBHOOK_EVENT_TYPES];
  const row = {
    id: newId("wh"),
    businessId: principal.businessId,
    mode: principal.mode,
    url: input.url,
    events,
    description: input.description ?? null,
    secret,
    now: new Date().toISOString(),
  };
  const inserted = await insertEndpointWithinLimit(tenant.db, row, PLANS[principal.plan].limits.webhooks).first<WebhookEndpointRow>();
  if (!inserted) throw limitReached(principal.plan, "webhooks");
  return { ...presentEndpoint(inserted), secret };
}

export async function listEndpointsOf(tenant: Tenant, principal: Principal) {
  return (await listEndpoints(tenant.db, principal.businessId, principal.mode)).map(presentEndpoint);
}

export async function getEndpoint(tenant: Tenant, principal: Principal, id: string) {
  return presentEndpoint(await loadEndpoint(tenant, principal, id));
}

export async function changeEndpoint(tenant: Tenant, principal: Principal, config: Config, id: string, changes: EndpointChanges) {
  assertSomethingToUpdate(changes);
  await loadEndpoint(tenant, principal, id);
  if (changes.url !== undefined) await checkUrl(config, changes.url);
  const row = await updateEndpoint(
    tenant.db,
    id,
    { ...changes, events: changes.events && [...new Set(changes.events)] },
    new Date().toISOString(),
  ).first<WebhookEndpointRow>();
  return presentEndpoint(row!);
}

export async function removeEndpoint(tenant: Tenant, principal: Principal, id: string): Promise<void> {
  await loadEndpoint(tenant, principal, id);
  await deleteEndpoint(tenant.db, id).run();
}

export async function rotateSecret(tenant: Tenant, principal: Principal, id: string) {
  await loadEndpoint(tenant, principal, id);
  const secret = newWebhookSecret();
  const now = Date.now();
  const previousUntil = new Date(now + ROTATION_OVERLAP_MS).toISOString();
  const row = await rotateEndpointSecret(tenant.db, id, {
    secret,
    previousUntil,
    now: new Date(now).toISOString(),
  }).first<WebhookEndpointRow>();
  return { ...presentEndpoint(row!), secret, previous_secret_expires_at: previousUntil };
}

/**
 * A `ping` to one endpoint, through the same pipeline as every event: the event and its one
 * delivery commit together, and the fan-out of the event queues that delivery. Answers the
 * delivery's id, to follow in the log.
 */
export async function sendTestEvent(tenant: Tenant, principal: Principal, id: string) {
  const endpoint = await loadEndpoint(tenant, principal, id);
  const now = new Date().toISOString();
  const eventId = newId("evt");
  const deliveryId = newId("whd");
  const batch = tenant.batch();
  const change = { webhook_id: endpoint.id };
  batch.addEvent(
    insertBusinessEvent(tenant.db, {
      id: eventId,
      businessId: principal.businessId,
      mode: principal.mode,
      type: PING_EVENT,
      templateId: null,
      change,
      now,
    }),
  );
  batch.add(insertWebhookDelivery(tenant.db, { id: deliveryId, endpointId: endpoint.id, eventId, eventType: "ping", now }));
  await batch.run();
  return { delivery_id: deliveryId, event_id: eventId };
}

export async function deliveryLog(tenant: Tenant, principal: Principal, id: string, page: { cursor?: string; limit: number }) {
  await loadEndpoint(tenant, principal, id);
  const rows = await listWebhookDeliveries(tenant.db, id, page);
  return toPage(rows, page.limit, presentDelivery, (row) => row.id);
}

/** Starts a delivery over and queues it now: its next attempt is due at once, whatever became of the last. */
export async function redeliverDelivery(
  tenant: Tenant,
  principal: Principal,
  queue: Queue<DeliveryMessage>,
  endpointId: string,
  deliveryId: string,
) {
  await loadEndpoint(tenant, principal, endpointId);
  const [found] = await findWebhookDelivery(tenant.db, endpointId, deliveryId);
  if (!found) throw new ApiError("not_found", `Delivery ${deliveryId} does not exist`);
  const reset = await redeliver(tenant.db, deliveryId, new Date().toISOString()).first<WebhookDeliveryRow>();
  if (!reset) throw new ApiError("conflict", `Delivery ${deliveryId} is being attempted right now`);
  await queue.send({ shard: tenant.shard, delivery: reset.id, attempt: reset.attempts + 1 });
  return presentDelivery(reset);
}
