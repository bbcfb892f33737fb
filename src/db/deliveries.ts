import { type SQL, sql } from "drizzle-orm";
import type { EmailKind } from "../domain/enums";
import type { Database } from "./client";
import { NEXT_CHANGE } from "./passes";
import { allRows, statement } from "./statements";

/** Webhook, wallet and email deliveries share one life: pending → (leased attempts) → succeeded | failed | superseded. */
export type DeliveryTable = "webhook_deliveries" | "wallet_deliveries" | "email_deliveries";

const table = (name: DeliveryTable): SQL => sql.raw(name);

export interface DeliveryState {
  id: string;
  event_id: string;
  status: "pending" | "succeeded" | "failed" | "superseded";
  attempts: number;
  lease_until: string | null;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryRow extends DeliveryState {
  endpoint_id: string;
  event_type: string;
  last_status_code: number | null;
  delivered_at: string | null;
}

export interface WalletDeliveryRow extends DeliveryState {
  target: string;
  pass_id: string | null;
  template_id: string | null;
  pass_version: number | null;
}

export interface EmailDeliveryRow extends DeliveryState {
  target: string;
  kind: EmailKind;
  pass_id: string | null;
}

/** One delivery per (event, endpoint): a repeated fan-out inserts nothing. */
export function insertWebhookDelivery(
  db: Database,
  d: { id: string; endpointId: string; eventId: string; eventType: string; now: string },
) {
  return statement(
    db,
    sql`
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, next_attempt_at, updated_at)
    VALUES (${d.id}, ${d.endpointId}, ${d.eventId}, ${d.eventType}, ${d.now}, ${d.now})
    ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
  );
}

/** One delivery per (event, wallet target). */
export function insertWalletDelivery(
  db: Database,
  d: {
    id: string;
    eventId: string;
    target: string;
    passId: string | null;
    templateId: string | null;
    passVersion: number | null;
    now: string;
  },
) {
  return statement(
    db,
    sql`
    INSERT INTO wallet_deliveries (id, event_id, target, pass_id, template_id, pass_version, next_attempt_at, updated_at)
    VALUES (${d.id}, ${d.eventId}, ${d.target}, ${d.passId}, ${d.templateId}, ${d.passVersion}, ${d.now}, ${d.now})
    ON CONFLICT (event_id, target) DO NOTHING`,
  );
}

/** A customer's sign-in link: one per request event (the target names the email by its hash). */
export function insertMagicLinkDelivery(db: Database, d: { id: string; eventId: string; emailHash: string; now: string }) {
  return statement(
    db,
    sql`
    INSERT INTO email_deliveries (id, event_id, target, kind, next_attempt_at, updated_at)
    VALUES (${d.id}, ${d.eventId}, ${`magic_link:${d.emailHash}`}, 'magic_link', ${d.now}, ${d.now})
    ON CONFLICT (event_id, target) DO NOTHING`,
  );
}

/**
 * A new pass by email — only when it is live, has an email, and its template says so. The
 * condition is part of the insert, so the fan-out reads nothing to decide it.
 */
export function insertPassEmailDelivery(db: Database, d: { id: string; eventId: string; passId: string; now: string }) {
  return statement(
    db,
    sql`
    INSERT INTO email_deliveries (id, event_id, target, kind, pass_id, next_attempt_at, updated_at)
    SELECT ${d.id}, ${d.eventId}, 'pass:' || passes.id, 'pass_issued', passes.id, ${d.now}, ${d.now}
    FROM passes JOIN templates ON templates.id = passes.template_id
    WHERE passes.id = ${d.passId} AND passes.mode = 'live' AND passes.email_normalized IS NOT NULL
      AND json_extract(templates.design, '$.email_on_issue') = 1
    ON CONFLICT (event_id, target) DO NOTHING`,
  );
}

/**
 * A page of a template's passes, re-rendered for one look event: each pass's version moves on
 * (so caches, ETags and passesUpdatedSince see the new look) and gets a wallet delivery. Both
 * statements skip passes that already have this event's delivery, so a repeated page changes nothing.
 */
export function fanOutTemplatePage(db: Database, p: { eventId: string; templateId: string; after: string; last: string; now: string }) {
  const page = sql`template_id = ${p.templateId} AND id > ${p.after} AND id <= ${p.last}`;
  const fresh = sql`NOT EXISTS (SELECT 1 FROM wallet_deliveries d WHERE d.event_id = ${p.eventId} AND d.target = 'pass:' || passes.id)`;
  return [
    statement(db, sql`UPDATE passes SET version = version + 1, change_seq = ${NEXT_CHANGE} WHERE ${page} AND ${fresh}`),
    statement(
      db,
      sql`
      INSERT INTO wallet_deliveries (id, event_id, target, pass_id, template_id, pass_version, next_attempt_at, updated_at)
      SELECT 'wd_' || lower(hex(randomblob(12))), ${p.eventId}, 'pass:' || id, id, template_id, version, ${p.now}, ${p.now}
      FROM passes WHERE ${page}
      ON CONFLICT (event_id, target) DO NOTHING`,
    ),
  ];
}

/** Deliveries of these events still to be made: what the fan-out queues. */
export function pendingDeliveriesOf(db: Database, name: DeliveryTable, eventIds: string[]) {
  const list = sql.join(
    eventIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return allRows<{ id: string; attempts: number }>(
    db,
    sql`SELECT id, attempts FROM ${table(name)} WHERE event_id IN (${list}) AND status = 'pending'`,
  );
}

/** Pending deliveries whose queue message should have arrived by `cutoff` and is not being worked: lost messages. */
export function overdueDeliveries(db: Database, name: DeliveryTable, cutoff: string, now: string, limit: number) {
  return allRows<{ id: string; attempts: number }>(
    db,
    sql`
    SELECT id, attempts FROM ${table(name)}
    WHERE status = 'pending' AND next_attempt_at < ${cutoff} AND (lease_until IS NULL OR lease_until <= ${now})
    ORDER BY next_attempt_at LIMIT ${limit}`,
  );
}

/**
 * Takes attempt number `attempt` of a delivery for this consumer until `leaseUntil`. Nothing is
 * returned when another consumer holds it, when it is settled, when that attempt already ran (a
 * duplicate message), or when it is not due yet.
 */
export function claimDelivery(db: Database, name: DeliveryTable, d: { id: string; attempt: number; now: string; leaseUntil: string }) {
  return statement(
    db,
    sql`
    UPDATE ${table(name)} SET lease_until = ${d.leaseUntil}, attempts = attempts + 1, updated_at = ${d.now}
    WHERE id = ${d.id} AND status = 'pending' AND attempts = ${d.attempt - 1} AND next_attempt_at <= ${d.now}
      AND (lease_until IS NULL OR lease_until <= ${d.now})
    RETURNING *`,
  );
}

export function findDeliveryStates(db: Database, name: DeliveryTable, ids: string[]) {
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return allRows<DeliveryState>(db, sql`SELECT * FROM ${table(name)} WHERE id IN (${list})`);
}

export type Settlement =
  | { status: "succeeded" | "superseded" }
  | { status: "failed"; error: string }
  | { status: "pending"; error: string; nextAttemptAt: string };

export function settleDelivery(
  db: Database,
  name: DeliveryTable,
  d: { id: string; settlement: Settlement; now: string; statusCode?: number | null },
) {
  const s = d.settlement;
  const webhook = name === "webhook_deliveries";
  const statusCode = webhook && d.statusCode !== undefined ? sql`, last_status_code = ${d.statusCode}` : sql``;
  const delivered = webhook && s.status === "succeeded" ? sql`, delivered_at = ${d.now}` : sql``;
  const error = s.status === "failed" || s.status === "pending" ? s.error.slice(0, 500) : null;
  const next = s.status === "pending" ? sql`, next_attempt_at = ${s.nextAttemptAt}` : sql``;
  return statement(
    db,
    sql`
    UPDATE ${table(name)} SET status = ${s.status}, lease_until = NULL, last_error = ${error}, updated_at = ${d.now} ${next} ${statusCode} ${delivered}
    WHERE id = ${d.id}`,
  );
}

export function listWebhookDeliveries(db: Database, endpointId: string, page: { cursor?: string; limit: number }) {
  return allRows<WebhookDeliveryRow>(
    db,
    sql`
    SELECT * FROM webhook_deliveries WHERE endpoint_id = ${endpointId} ${page.cursor ? sql`AND id < ${page.cursor}` : sql``}
    ORDER BY id DESC LIMIT ${page.limit + 1}`,
  );
}

export function findWebhookDelivery(db: Database, endpointId: string, id: string) {
  return allRows<WebhookDeliveryRow>(db, sql`SELECT * FROM webhook_deliveries WHERE id = ${id} AND endpoint_id = ${endpointId}`);
}

/** Starts a delivery over: pending again, due now, its attempt count kept (the log shows every attempt). */
export function redeliver(db: Database, id: string, now: string) {
  return statement(
    db,
    sql`
    UPDATE webhook_deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ${now}, updated_at = ${now}
    WHERE id = ${id} AND (status != 'pending' OR lease_until IS NULL OR lease_until <= ${now})
    RETURNING *`,
  );
}

/** The pending pass deliveries of one look event within a page of its fan-out (pass ids after `after`, up to `last`). */
export function pendingFanOutDeliveries(db: Database, p: { eventId: string; after: string; last: string }) {
  return allRows<{ id: string; attempts: number }>(
    db,
    sql`
    SELECT id, attempts FROM wallet_deliveries
    WHERE event_id = ${p.eventId} AND target > ${`pass:${p.after}`} AND target <= ${`pass:${p.last}`} AND status = 'pending'`,
  );
}
