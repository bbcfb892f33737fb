import { sql } from "drizzle-orm";
import type { Mode } from "../domain/enums";
import type { Database } from "./client";
import { withinLiveLimit } from "./plan-limits";
import { allRows, firstRow, statement } from "./statements";

export interface WebhookEndpointRow {
  id: string;
  business_id: string;
  mode: Mode;
  url: string;
  events: string;
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Inserts only while the business has fewer than `limit` live endpoints (test endpoints do not
 * count): the check and the write are one statement, so concurrent creations cannot pass it.
 */
export function insertEndpointWithinLimit(
  db: Database,
  e: { id: string; businessId: string; mode: Mode; url: string; events: string[]; description: string | null; secret: string; now: string },
  limit: number,
) {
  const within = withinLiveLimit("webhook_endpoints", e.businessId, e.mode, limit);
  return statement(
    db,
    sql`
    INSERT INTO webhook_endpoints (id, business_id, mode, url, events, description, secret, created_at, updated_at)
    SELECT ${e.id}, ${e.businessId}, ${e.mode}, ${e.url}, ${JSON.stringify(e.events)}, ${e.description}, ${e.secret}, ${e.now}, ${e.now}
    WHERE ${within}
    RETURNING *`,
  );
}

export function findEndpoint(db: Database, businessId: string, mode: Mode, id: string) {
  return firstRow<WebhookEndpointRow>(
    db,
    sql`SELECT * FROM webhook_endpoints WHERE id = ${id} AND business_id = ${businessId} AND mode = ${mode}`,
  );
}

export function findEndpointsByIds(db: Database, ids: string[]) {
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return allRows<WebhookEndpointRow>(db, sql`SELECT * FROM webhook_endpoints WHERE id IN (${list})`);
}

export function listEndpoints(db: Database, businessId: string, mode: Mode) {
  return allRows<WebhookEndpointRow>(
    db,
    sql`SELECT * FROM webhook_endpoints WHERE business_id = ${businessId} AND mode = ${mode} ORDER BY id DESC LIMIT 100`,
  );
}

/** The enabled endpoints of these businesses: what a batch of events fans out to. */
export function enabledEndpointsOf(db: Database, businessIds: string[]) {
  const list = sql.join(
    businessIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return allRows<WebhookEndpointRow>(db, sql`SELECT * FROM webhook_endpoints WHERE business_id IN (${list}) AND status = 'enabled'`);
}

export interface EndpointChanges {
  url?: string;
  events?: string[];
  description?: string | null;
  status?: "enabled" | "disabled";
}

export function updateEndpoint(db: Database, id: string, c: EndpointChanges, now: string) {
  const sets = [sql`updated_at = ${now}`];
  if (c.url !== undefined) sets.push(sql`url = ${c.url}`);
  if (c.events !== undefined) sets.push(sql`events = ${JSON.stringify(c.events)}`);
  if (c.description !== undefined) sets.push(sql`description = ${c.description}`);
  // Re-enabling starts afresh: no reason, no run of failures.
  if (c.status === "enabled") sets.push(sql`status = 'enabled', disabled_reason = NULL, failing_since = NULL`);
  if (c.status === "disabled") sets.push(sql`status = 'disabled', disabled_reason = 'Disabled by the merchant'`);
  return statement(db, sql`UPDATE webhook_endpoints SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING *`);
}

export function deleteEndpoint(db: Database, id: string) {
  return statement(db, sql`DELETE FROM webhook_endpoints WHERE id = ${id}`);
}

/** The new secret signs from now on; the old one also signs until `previousUntil`. */
export function rotateEndpointSecret(db: Database, id: string, r: { secret: string; previousUntil: string; now: string }) {
  return statement(
    db,
    sql`
    UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ${r.previousUntil}, secret = ${r.secret}, updated_at = ${r.now}
    WHERE id = ${id} RETURNING *`,
  );
}

/** A delivery succeeded: the endpoint is healthy again. */
export function markEndpointHealthy(db: Database, id: string) {
  return statement(db, sql`UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ${id} AND failing_since IS NOT NULL`);
}

/**
 * A delivery failed: start (or continue) the endpoint's run of failures, and disable it once the
 * run is older than `disableBefore`.
 */
export function markEndpointFailing(db: Database, id: string, f: { now: string; disableBefore: string }) {
  return statement(
    db,
    sql`
    UPDATE webhook_endpoints SET
      failing_since = COALESCE(failing_since, ${f.now}),
      status = CASE WHEN failing_since IS NOT NULL AND failing_since < ${f.disableBefore} THEN 'disabled' ELSE status END,
      disabled_reason = CASE WHEN failing_since IS NOT NULL AND failing_since < ${f.disableBefore}
        THEN 'Every delivery failed for 5 days' ELSE disabled_reason END
    WHERE id = ${id}`,
  );
}

export function disableEndpoint(db: Database, id: string, reason: string, now: string) {
  return statement(
    db,
    sql`UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ${reason}, updated_at = ${now} WHERE id = ${id}`,
  );
}
