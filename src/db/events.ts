import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { allRows } from "./statements";

export interface EventRow {
  id: string;
  type: string;
  data: string;
  created_at: string;
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
