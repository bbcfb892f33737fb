import { findBusiness } from "../db/businesses";
import type { DataContext } from "../db/data-context";
import {
  fanOutTemplatePage,
  insertMagicLinkDelivery,
  insertPassEmailDelivery,
  insertWalletDelivery,
  insertWebhookDelivery,
  pendingDeliveriesOf,
  pendingFanOutDeliveries,
} from "../db/deliveries";
import { type EventRow, findUndispatchedEvents, markDispatched } from "../db/events";
import { passIdsOfTemplate } from "../db/passes";
import { templateIdsOfBusiness } from "../db/templates";
import type { Batch, Tenant } from "../db/tenant";
import { enabledEndpointsOf, type WebhookEndpointRow } from "../db/webhook-endpoints";
import { holdsLivePasses } from "../domain/customer-access/passes";
import { customerEmailHash } from "../domain/customers";
import { type EventType, MAGIC_LINK_EVENT, WALLET_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "../domain/enums";
import type { Env } from "../env";
import { chunk } from "../lib/chunk";
import { newId } from "../lib/ids";
import { type DeliveryMessage, type EventsMessage, sendAll } from "./messages";

/** Passes re-rendered per fan-out message: a template with 100,000 passes is 200 messages. */
export const FANOUT_PAGE = 500;

const isWebhookEvent = (type: string) => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
const isWalletEvent = (type: string) => WALLET_EVENT_TYPES.includes(type as EventType);

const deliveryMessages = (shard: string, pending: Array<{ id: string; attempts: number }>): DeliveryMessage[] =>
  pending.map((d) => ({ shard, delivery: d.id, attempt: d.attempts + 1 }));

/** The deliveries one event makes: a webhook per subscribed endpoint of its mode, a wallet update of its pass. */
function addDeliveries(tenant: Tenant, batch: Batch, event: EventRow, endpoints: WebhookEndpointRow[], now: string): void {
  if (isWebhookEvent(event.type)) {
    for (const endpoint of endpoints) {
      const subscribed =
        endpoint.business_id === event.business_id && endpoint.mode === event.mode && JSON.parse(endpoint.events).includes(event.type);
      if (!subscribed) continue;
      batch.add(
        insertWebhookDelivery(tenant.db, { id: newId("whd"), endpointId: endpoint.id, eventId: event.id, eventType: event.type, now }),
      );
    }
  }
  if (isWalletEvent(event.type) && event.pass_id) {
    const version = (JSON.parse(event.data) as { version?: number }).version ?? null;
    const target = {
      eventId: event.id,
      target: `pass:${event.pass_id}`,
      passId: event.pass_id,
      templateId: null,
      passVersion: version,
      now,
    };
    batch.add(insertWalletDelivery(tenant.db, { id: newId("wd"), ...target }));
  }
  // The insert itself checks that the pass is live, has an email, and its template mails on issue.
  if (event.type === "pass.created" && event.pass_id) {
    batch.add(insertPassEmailDelivery(tenant.db, { id: newId("em"), eventId: event.id, passId: event.pass_id, now }));
  }
}

/**
 * A sign-in link is mailed only to an email that holds live passes somewhere; for any other
 * email the request ends here, unanswered — in the background, where its timing tells no one.
 */
async function addMagicLinkDelivery(data: DataContext, tenant: Tenant, batch: Batch, event: EventRow, now: string): Promise<void> {
  const { email } = JSON.parse(event.data) as { email: string };
  if (!(await holdsLivePasses(data, email))) return;
  batch.add(insertMagicLinkDelivery(tenant.db, { id: newId("em"), eventId: event.id, emailHash: await customerEmailHash(email), now }));
}

/**
 * A template's new look reaches Google as one class update, and each of its passes through the
 * paged fan-out. Returns the first page's message.
 */
function startTemplateFanOut(tenant: Tenant, batch: Batch, eventId: string, templateId: string, now: string): EventsMessage {
  const target = { eventId, target: `class:${templateId}`, passId: null, templateId, passVersion: null, now };
  batch.add(insertWalletDelivery(tenant.db, { id: newId("wd"), ...target }));
  return { kind: "fanout", shard: tenant.shard, eventId, templateId, after: "" };
}

/**
 * Fans committed events out into deliveries. Each delivery is a row with a unique (event,
 * target) key, so running this twice for one event — a redelivered message, a sweep — makes
 * nothing twice. The deliveries are queued before the events are marked dispatched: if this
 * dies in between, the sweep runs it again, and the deliveries' leases keep the repeat harmless.
 */
export async function dispatchEvents(env: Env, data: DataContext, message: Extract<EventsMessage, { kind: "events" }>): Promise<void> {
  const tenant = data.tenant(message.shard);
  const events: EventRow[] = [];
  for (const ids of chunk(message.events, 90)) events.push(...(await findUndispatchedEvents(tenant.db, ids)));
  if (events.length === 0) return;
  const now = new Date().toISOString();

  const businessIds = [...new Set(events.filter((e) => isWebhookEvent(e.type)).map((e) => e.business_id))];
  const endpoints = businessIds.length > 0 ? await enabledEndpointsOf(tenant.db, businessIds) : [];
  const batch = tenant.batch();
  const fanOuts: EventsMessage[] = [];
  for (const event of events) {
    addDeliveries(tenant, batch, event, endpoints, now);
    if (event.type === "template.updated" && event.template_id)
      fanOuts.push(startTemplateFanOut(tenant, batch, event.id, event.template_id, now));
    if (event.type === MAGIC_LINK_EVENT) await addMagicLinkDelivery(data, tenant, batch, event, now);
  }
  await batch.run();
  for (const event of events.filter((e) => e.type === "business.updated")) fanOuts.push(...(await startBusinessFanOut(data, event, now)));

  const ids = events.map((e) => e.id);
  const webhooks: DeliveryMessage[] = [];
  const wallet: DeliveryMessage[] = [];
  const email: DeliveryMessage[] = [];
  for (const part of chunk(ids, 90)) {
    webhooks.push(...deliveryMessages(tenant.shard, await pendingDeliveriesOf(tenant.db, "webhook_deliveries", part)));
    wallet.push(...deliveryMessages(tenant.shard, await pendingDeliveriesOf(tenant.db, "wallet_deliveries", part)));
    email.push(...deliveryMessages(tenant.shard, await pendingDeliveriesOf(tenant.db, "email_deliveries", part)));
  }
  await Promise.all([
    sendAll(env.WEBHOOK_QUEUE, webhooks),
    sendAll(env.WALLET_QUEUE, wallet),
    sendAll(env.EMAIL_QUEUE, email),
    sendAll(env.EVENTS_QUEUE, fanOuts),
  ]);
  for (const part of chunk(ids, 90)) await markDispatched(tenant.db, part, now).run();
}

/** A business edit (its event is in the control database) re-renders every template of the business, in the business's shard. */
async function startBusinessFanOut(data: DataContext, event: EventRow, now: string): Promise<EventsMessage[]> {
  const business = await findBusiness(data.control, event.business_id);
  if (!business) return [];
  const tenant = data.tenant(business.shard);
  const templates = await templateIdsOfBusiness(tenant.db, business.id);
  const batch = tenant.batch();
  const messages = templates.map((t) => startTemplateFanOut(tenant, batch, event.id, t.id, now));
  await batch.run();
  const classDeliveries = await pendingDeliveriesOf(tenant.db, "wallet_deliveries", [event.id]);
  await sendAll(data.env.WALLET_QUEUE, deliveryMessages(tenant.shard, classDeliveries));
  return messages;
}

/** One page of a look change: its passes move to a new version, each gets a wallet delivery, the next page is queued. */
export async function fanOutPage(env: Env, data: DataContext, message: Extract<EventsMessage, { kind: "fanout" }>): Promise<void> {
  const tenant = data.tenant(message.shard);
  const page = await passIdsOfTemplate(tenant.db, message.templateId, message.after, FANOUT_PAGE);
  if (page.length === 0) return;
  const last = page.at(-1)!.id;
  const now = new Date().toISOString();
  const range = { eventId: message.eventId, after: message.after, last };
  await tenant.db.$client.batch(fanOutTemplatePage(tenant.db, { ...range, templateId: message.templateId, now }));
  await sendAll(env.WALLET_QUEUE, deliveryMessages(tenant.shard, await pendingFanOutDeliveries(tenant.db, range)));
  if (page.length === FANOUT_PAGE) await env.EVENTS_QUEUE.send({ ...message, after: last });
}
