import { type SQL, sql } from "drizzle-orm";
import type { PassStatus, StoredPassStatus, TemplateType } from "../domain/enums";
import type { Mode } from "../types";
import type { Database } from "./client";
import { allRows, firstRow, statement } from "./statements";

/** A pass row as SQLite returns it (snake_case), read by the pass presenter. */
export interface PassRow {
  id: string;
  business_id: string;
  mode: Mode;
  template_id: string;
  serial_number: string;
  external_id: string | null;
  customer_name: string | null;
  customer_email: string | null;
  email_normalized: string | null;
  status: StoredPassStatus;
  points: number;
  stamps: number;
  balance_minor: number | null;
  currency: string | null;
  barcode_data: string | null;
  nfc_data: string | null;
  metadata: string;
  download_token: string;
  auth_token: string;
  version: number;
  barcode_key_version: number;
  expires_at: string | null;
  checked_in_at: string | null;
  redeemed_at: string | null;
  voided_at: string | null;
  reactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export type Counter = "balance" | "points" | "stamps";
const COUNTER_COLUMN: Record<Counter, SQL> = { balance: sql.raw("balance_minor"), points: sql.raw("points"), stamps: sql.raw("stamps") };

/** The snapshot every event row carries: enough for a webhook payload without a join. */
const SNAPSHOT = sql.raw(`json_object('id', id, 'serial_number', serial_number, 'business_id', business_id, 'template_id', template_id,
  'external_id', external_id, 'status', status, 'points', points, 'stamps', stamps, 'balance_minor', balance_minor,
  'currency', currency, 'version', version, 'expires_at', expires_at)`);

export interface NewPass {
  id: string;
  businessId: string;
  mode: Mode;
  templateId: string;
  serialNumber: string;
  externalId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  points: number;
  balanceMinor: number | null;
  currency: string | null;
  barcodeData: string | null;
  nfcData: string | null;
  metadata: Record<string, unknown>;
  downloadToken: string;
  authToken: string;
  expiresAt: string | null;
  now: string;
}

/**
 * Inserts the pass unless that would take the business past `liveLimit` live passes (the
 * count and the insert are one statement) or its serial/external_id is taken. Returns the
 * row, or nothing when it was not inserted.
 */
export function insertPass(db: Database, p: NewPass, liveLimit: number) {
  const unlimited = !Number.isFinite(liveLimit);
  return statement(
    db,
    sql`
    INSERT INTO passes (id, business_id, mode, template_id, serial_number, external_id, customer_name, customer_email,
      email_normalized, points, balance_minor, currency, barcode_data, nfc_data, metadata, download_token, auth_token,
      expires_at, created_at, updated_at)
    SELECT ${p.id}, ${p.businessId}, ${p.mode}, ${p.templateId}, ${p.serialNumber}, ${p.externalId}, ${p.customerName},
      ${p.customerEmail}, ${p.customerEmail?.toLowerCase() ?? null}, ${p.points}, ${p.balanceMinor}, ${p.currency},
      ${p.barcodeData}, ${p.nfcData}, ${JSON.stringify(p.metadata)}, ${p.downloadToken}, ${p.authToken}, ${p.expiresAt}, ${p.now}, ${p.now}
    WHERE ${p.mode} = 'test' OR ${unlimited ? 1 : 0}
      OR (SELECT COUNT(*) FROM passes WHERE business_id = ${p.businessId} AND mode = 'live') < ${unlimited ? 0 : liveLimit}
    ON CONFLICT DO NOTHING
    RETURNING *`,
  );
}

/** Ledger row for a counter's opening value, written only if the pass was just inserted. */
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

/** The event row for a change; `afterChange` makes it conditional on the previous statement having changed a row. */
export function insertEvent(
  db: Database,
  e: { id: string; passId: string; type: string; change: Record<string, unknown>; now: string; afterChange: boolean },
) {
  return statement(
    db,
    sql`
    INSERT INTO events (id, business_id, mode, pass_id, type, data, created_at)
    SELECT ${e.id}, business_id, mode, id, ${e.type}, json_patch(${SNAPSHOT}, ${JSON.stringify(e.change)}), ${e.now} FROM passes
    WHERE id = ${e.passId} ${e.afterChange ? sql`AND changes() = 1` : sql``}`,
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

/** Condition: the pass accepts actions now (not voided, redeemed, or past its expiry). */
export const usableNow = (now: string) => sql`status IN ('active', 'checked_in') AND (expires_at IS NULL OR expires_at > ${now})`;

/** One conditional UPDATE … RETURNING: the whole decision is in its WHERE clause. */
export function updatePassWhere(db: Database, passId: string, set: SQL, condition: SQL, now: string) {
  return statement(
    db,
    sql`
    UPDATE passes SET ${set}, version = version + 1, updated_at = ${now}
    WHERE id = ${passId} AND ${condition}
    RETURNING *`,
  );
}

export function findPassById(db: Database, businessId: string, mode: Mode, passId: string) {
  return firstRow<PassRow>(db, sql`SELECT * FROM passes WHERE id = ${passId} AND business_id = ${businessId} AND mode = ${mode}`);
}

/** For background work that starts from a queued pass id, outside any request's business. */
export function findPassByIdUnscoped(db: Database, passId: string) {
  return firstRow<PassRow>(db, sql`SELECT * FROM passes WHERE id = ${passId}`);
}

/** Wallet endpoints know only the serial: it is unique system-wide. */
export function findPassBySerial(db: Database, serial: string) {
  return firstRow<PassRow>(db, sql`SELECT * FROM passes WHERE serial_number = ${serial}`);
}

/** id first, then serial number, then external_id: one query, that precedence. */
export function findPassByIdentifier(db: Database, businessId: string, mode: Mode, identifier: string) {
  return firstRow<PassRow & { template_type: TemplateType }>(
    db,
    sql`
    SELECT *, (SELECT type FROM templates WHERE templates.id = passes.template_id) AS template_type FROM passes
    WHERE business_id = ${businessId} AND mode = ${mode}
      AND (id = ${identifier} OR serial_number = ${identifier} OR external_id = ${identifier})
    ORDER BY CASE WHEN id = ${identifier} THEN 0 WHEN serial_number = ${identifier} THEN 1 ELSE 2 END
    LIMIT 1`,
  );
}

/** Resolves many identifiers at once (bound parameters are limited, so callers chunk). */
export function findPassesByIdentifiers(db: Database, businessId: string, mode: Mode, identifiers: string[]) {
  const list = sql.join(
    identifiers.map((i) => sql`${i}`),
    sql`, `,
  );
  return allRows<PassRow & { template_type: TemplateType }>(
    db,
    sql`
    SELECT *, (SELECT type FROM templates WHERE templates.id = passes.template_id) AS template_type
    FROM passes WHERE business_id = ${businessId} AND mode = ${mode}
      AND (id IN (${list}) OR serial_number IN (${list}) OR external_id IN (${list}))`,
  );
}

export function findPassByExternalId(db: Database, businessId: string, mode: Mode, externalId: string) {
  return firstRow<PassRow>(
    db,
    sql`SELECT * FROM passes WHERE business_id = ${businessId} AND mode = ${mode} AND external_id = ${externalId}`,
  );
}

export function findPassesByEmail(db: Database, businessId: string, mode: Mode, email: string) {
  return allRows<PassRow>(
    db,
    sql`
    SELECT * FROM passes WHERE email_normalized = ${email.toLowerCase()} AND business_id = ${businessId} AND mode = ${mode}
    ORDER BY id DESC LIMIT 500`,
  );
}

export function countLivePasses(db: Database, businessId: string) {
  return firstRow<{ n: number }>(db, sql`SELECT COUNT(*) AS n FROM passes WHERE business_id = ${businessId} AND mode = 'live'`);
}

export function findExternalIds(db: Database, businessId: string, mode: Mode, externalIds: string[]) {
  const list = sql.join(
    externalIds.map((i) => sql`${i}`),
    sql`, `,
  );
  return allRows<{ external_id: string }>(
    db,
    sql`
    SELECT external_id FROM passes WHERE business_id = ${businessId} AND mode = ${mode} AND external_id IN (${list})`,
  );
}

export interface PassFilter {
  templateId?: string;
  status?: PassStatus;
  q?: string;
  cursor?: string;
  limit: number;
  now: string;
}

export function listPasses(db: Database, businessId: string, mode: Mode, f: PassFilter) {
  const conditions: SQL[] = [sql`business_id = ${businessId}`, sql`mode = ${mode}`];
  if (f.templateId) conditions.push(sql`template_id = ${f.templateId}`);
  if (f.cursor) conditions.push(sql`id < ${f.cursor}`);
  if (f.status === "expired") conditions.push(sql`status IN ('active', 'checked_in') AND expires_at <= ${f.now}`);
  else if (f.status === "active") conditions.push(sql`status = 'active' AND (expires_at IS NULL OR expires_at > ${f.now})`);
  else if (f.status) conditions.push(sql`status = ${f.status}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conditions.push(sql`(customer_name LIKE ${like} ESCAPE '\\' OR email_normalized LIKE ${like.toLowerCase()} ESCAPE '\\'
      OR external_id LIKE ${like} ESCAPE '\\' OR serial_number LIKE ${like.toUpperCase()} ESCAPE '\\')`);
  }
  return allRows<PassRow>(db, sql`SELECT * FROM passes WHERE ${sql.join(conditions, sql` AND `)} ORDER BY id DESC LIMIT ${f.limit + 1}`);
}
