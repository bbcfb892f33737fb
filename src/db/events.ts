import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { allRows, statement } from "./statements";

export interface EventRow {
  id: string;
  type: string;
  data: string;
  created_at: string;
}

/** The snapshot every event row carries: enough for a webhook payload without a join. */
const PASS_SNAPSHOT = sql.raw(`json_object('id', id, 'serial_number', serial_number, 'business_id', business_id, 'template_id', template_id,
  'external_id', external_id, 'status', status, 'points', points, 'stamps', stamps, 'balance_minor', balance_minor,
  'currency', currency, 'version', version, 'expires_at', expires_at)`);

/**
 * The event row for a change to a pass, snapshotting the pass as the batch left it. With
 * `afterChange` it is written only if the statement before it changed a row.
 */
export function insertPassEvent(
  db: Database,
  e: { id: string; passId: string; type: string; change: Record<string, unknown>; now: string; afterChange: boolean },
) {
  return statement(
    db,
    sql`
    INSERT INTO events (id, business_id, mode, pass_id, type, data, created_at)
    SELECT ${e.id}, business_id, mode, id, ${e.type}, json_patch(${PASS_SNAPSHOT}, ${JSON.stringify(e.change)}), ${e.now} FROM passes
    WHERE id = ${e.passId} ${e.afterChange ? sql`AND changes() = 1` : sql``}`,
  );
}

export function listPassEvents(db: Database, passId: string, page: { cursor?: string; limit: number }) {
  return allRows<EventRow>(
    db,
    sql`
    SELECT id, type, data, created_at FROM events
    WHERE pass_id = ${passId} ${page.cursor ? sql`AND id < ${page.cursor}` : sql``}
    ORDER BY id DESC LIMIT ${page.limit + 1}`,
  );
}
