import { sql } from "drizzle-orm";
import { type LookEventType, MAGIC_LINK_EVENT, type Mode, type PING_EVENT } from "../domain/enums";
import type { Database } from "./client";
import { allRows, statement } from "./statements";
import type { EventInsert } from "./tenant";

export interface EventRow {
  id: string;
  business_id: string;
  mode: Mode;
  pass_id: string | null;
  template_id: string | null;
  type: string;
  data: string;
  created_at: string;
  dispatched_at: string | null;
}

/** The snapshot every event row carries: enough for a webhook payload without a join. */
export const PASS_SNAPSHOT =
  sql.raw(`json_object('id', id, 'serial_number', serial_number, 'business_id', business_id, 'template_id', template_id,
  'external_id', external_id, 'status', status, 'points', points, 'stamps', stamps, 'balance_minor', balance_minor,
  'currency', currency, 'version', version, 'expires_at', expires_at)`);

/**
 * The event row for a change to a pass, snapshotting the pass as the batch left it. With
 * `afterChange` it is written only if the statement before it changed a row.
 */
export function insertPassEvent(
  db: Database,
  e: { id: string; passId: string; type: string; change: Record<string, unknown>; now: string; afterChange: boolean },
): EventInsert {
  const insert = statement(
    db,
    sql`
    INSERT INTO events (id, business_id, mode, pass_id, type, data, created_at)
    SELECT ${e.id}, business_id, mode, id, ${e.type}, json_patch(${PASS_SNAPSHOT}, ${JSON.stringify(e.change)}), ${e.now} FROM passes
    WHERE id = ${e.passId} ${e.afterChange ? sql`AND changes() = 1` : sql``}
    RETURNING id`,
  );
  return { id: e.id, statement: insert };
}

export function listPassEvents(db: Database, passId: string, page: { cursor?: string; limit: number }) {
  return allRows<EventRow>(
    db,
    sql`
    SELECT * FROM events
    WHERE pass_id = ${passId} ${page.cursor ? sql`AND id < ${page.cursor}` : sql``}
    ORDER BY id DESC LIMIT ${page.limit + 1}`,
  );
}

/**
 * An event with no pass of its own: a template edit (`templateId` set), a business edit (in the
 * control database, which keeps its own outbox), or a test ping.
 */
export function insertBusinessEvent(
  db: Database,
  e: {
    id: string;
    businessId: string;
    mode: Mode;
    type: LookEventType | typeof PING_EVENT;
    templateId: string | null;
    change: Record<string, unknown>;
    now: string;
  },
): EventInsert {
  const insert = statement(
    db,
    sql`
    INSERT INTO events (id, business_id, mode, template_id, type, data, created_at)
    VALUES (${e.id}, ${e.businessId}, ${e.mode}, ${e.templateId}, ${e.type}, ${JSON.stringify(e.change)}, ${e.now})
    RETURNING id`,
  );
  return { id: e.id, statement: insert };
}

/**
 * A customer's request for a sign-in link, in the control database's outbox. It concerns no
 * business (the fan-out finds out which hold passes for the email), so `business_id` is empty.
 */
export function insertMagicLinkEvent(db: Database, e: { id: string; email: string; now: string }): EventInsert {
  const insert = statement(
    db,
    sql`
    INSERT INTO events (id, business_id, mode, type, data, created_at)
    VALUES (${e.id}, '', 'live', ${MAGIC_LINK_EVENT}, ${JSON.stringify({ email: e.email })}, ${e.now})
    RETURNING id`,
  );
  return { id: e.id, statement: insert };
}

const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

export function findUndispatchedEvents(db: Database, ids: string[]) {
  return allRows<EventRow>(db, sql`SELECT * FROM events WHERE id IN (${idList(ids)}) AND dispatched_at IS NULL`);
}

export function findEvents(db: Database, ids: string[]) {
  return allRows<EventRow>(db, sql`SELECT * FROM events WHERE id IN (${idList(ids)})`);
}

export function markDispatched(db: Database, ids: string[], now: string) {
  return statement(db, sql`UPDATE events SET dispatched_at = ${now} WHERE id IN (${idList(ids)}) AND dispatched_at IS NULL`);
}

/** Events committed before `cutoff` whose ids never reached the queue (or whose fan-out never finished). */
export function undispatchedBefore(db: Database, cutoff: string, limit: number) {
  return allRows<{ id: string }>(
    db,
    sql`SELECT id FROM events WHERE dispatched_at IS NULL AND created_at < ${cutoff} ORDER BY created_at LIMIT ${limit}`,
  );
}

/** Dispatched events with ids below `boundary` (ids sort by time), oldest first: what retention exports and prunes. */
export function dispatchedEventsBefore(db: Database, boundary: string, limit: number) {
  return allRows<EventRow>(db, sql`SELECT * FROM events WHERE id < ${boundary} AND dispatched_at IS NOT NULL ORDER BY id LIMIT ${limit}`);
}

export function deleteEvents(db: Database, ids: string[]) {
  return statement(db, sql`DELETE FROM events WHERE id IN (${idList(ids)})`);
}
