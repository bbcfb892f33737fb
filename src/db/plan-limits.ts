import { type SQL, sql } from "drizzle-orm";
import type { Mode } from "../domain/enums";

/** The tables whose live rows a plan limits. */
type LimitedTable = "passes" | "webhook_endpoints";

/** A business's live rows in `table`, counted only up to `limit`: a Free business's check reads at most `limit` rows. */
export const liveRowsUpTo = (table: LimitedTable, businessId: string, limit: number): SQL =>
  sql`(SELECT COUNT(*) FROM (SELECT 1 FROM ${sql.raw(table)} WHERE business_id = ${businessId} AND mode = 'live' LIMIT ${limit}))`;

/**
 * The condition an INSERT … SELECT … WHERE writes under: test-mode rows never count, live ones only
 * while the business has fewer than `limit`. The check and the write are one statement, so
 * concurrent requests cannot both pass it.
 */
export const withinLiveLimit = (table: LimitedTable, businessId: string, mode: Mode, limit: number): SQL =>
  Number.isFinite(limit) ? sql`(${mode} = 'test' OR ${liveRowsUpTo(table, businessId, limit)} < ${limit})` : sql`1`;
