import { type SQL, sql } from "drizzle-orm";
import type { Database } from "./client";
import { COUNTER_COLUMN, type Counter } from "./passes";
import { statement } from "./statements";

/** Ledger row for a counter's opening value, written only if the pass was just inserted with one. */
export function insertOpeningLedger(db: Database, entryId: string, passId: string, counter: Counter, now: string) {
  const column = COUNTER_COLUMN[counter];
  return statement(
    db,
    sql`
    INSERT INTO ledger_entries (id, business_id, mode, pass_id, kind, delta, reason, created_at)
    SELECT ${entryId}, business_id, mode, id, ${counter}, ${column}, 'issue', ${now} FROM passes
    WHERE id = ${passId} AND COALESCE(${column}, 0) != 0`,
  );
}

/** A ledger row that follows a conditional update: written only when that update changed the pass. */
export function insertLedgerAfterChange(
  db: Database,
  l: { id: string; passId: string; counter: Counter; delta: number; reason: string; now: string },
) {
  return statement(
    db,
    sql`
    INSERT INTO ledger_entries (id, business_id, mode, pass_id, kind, delta, reason, created_at)
    SELECT ${l.id}, business_id, mode, id, ${l.counter}, ${l.delta}, ${l.reason}, ${l.now} FROM passes
    WHERE id = ${l.passId} AND changes() = 1`,
  );
}

/**
 * A ledger row for a change that applies only `where` the pass is now (the same condition as its
 * update, whose statement must follow in the same batch): for changes that may leave a counter as it is.
 */
export function insertLedgerBeforeChange(
  db: Database,
  l: { id: string; passId: string; counter: Counter; delta: number; reason: string; now: string; where: SQL },
) {
  return statement(
    db,
    sql`
    INSERT INTO ledger_entries (id, business_id, mode, pass_id, kind, delta, reason, created_at)
    SELECT ${l.id}, business_id, mode, id, ${l.counter}, ${l.delta}, ${l.reason}, ${l.now} FROM passes
    WHERE id = ${l.passId} AND ${l.where}`,
  );
}

/** A ledger row recording the move of a counter to an absolute value; must run before the update that sets it. */
export function insertLedgerForSet(
  db: Database,
  l: { id: string; passId: string; counter: Counter; value: number; reason: string; now: string },
) {
  const column = COUNTER_COLUMN[l.counter];
  return statement(
    db,
    sql`
    INSERT INTO ledger_entries (id, business_id, mode, pass_id, kind, delta, reason, created_at)
    SELECT ${l.id}, business_id, mode, id, ${l.counter}, ${l.value} - COALESCE(${column}, 0), ${l.reason}, ${l.now} FROM passes
    WHERE id = ${l.passId} AND COALESCE(${column}, 0) != ${l.value}`,
  );
}
