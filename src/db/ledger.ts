import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { allRows } from "./statements";

export function ledgerTotals(db: Database, passId: string) {
  return allRows<{ kind: "balance" | "points" | "stamps"; total: number }>(
    db,
    sql`
    SELECT kind, SUM(delta) AS total FROM ledger_entries WHERE pass_id = ${passId} GROUP BY kind`,
  );
}
