import { type SQL, sql } from "drizzle-orm";
import type { Mode, PassStatus, ScanReason, StoredPassStatus, TemplateType } from "../domain/enums";
import type { ScanSecurity } from "../domain/templates/design";
import type { CursorKey } from "../lib/pagination";
import type { Database } from "./client";
import { liveRowsUpTo, withinLiveLimit } from "./plan-limits";
import { allRows, firstRow, statement } from "./statements";

/** A pass row as SQLite returns it (snake_case), read by the pass presenter. */
export interface PassRow {
  id: string;
  seq: number;
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
  change_seq: number;
  barcode_key_version: number;
  expires_at: string | null;
  checked_in_at: string | null;
  first_checked_in_at: string | null;
  redeemed_at: string | null;
  voided_at: string | null;
  reactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A pass with its template's type: what actions and updates check capabilities against. */
export type PassWithType = PassRow & { template_type: TemplateType };

export type Counter = "balance" | "points" | "stamps";
export const COUNTER_COLUMN: Record<Counter, SQL> = {
  balance: sql.raw("balance_minor"),
  points: sql.raw("points"),
  stamps: sql.raw("stamps"),
};

/**
 * The shard's next change number (SQLite runs one writer at a time, so it is unique and increasing;
 * the index makes MAX a lookup).
 */
export const NEXT_CHANGE = sql.raw("(SELECT COALESCE(MAX(change_seq), 0) + 1 FROM passes)");

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
 * Inserts the pass unless that would take the business past `liveLimit` live passes (the count
 * and the insert are one statement, so concurrent issues cannot pass it) or its serial or
 * external_id is taken. `seq` is the next in the shard: SQLite runs one writer at a time, so
 * MAX + 1 inside the statement is unique. Returns the row, or nothing when it was not inserted.
 */
export function insertPass(db: Database, p: NewPass, liveLimit: number) {
  const withinLimit = withinLiveLimit("passes", p.businessId, p.mode, liveLimit);
  return statement(
    db,
    sql`
    INSERT INTO passes (id, seq, change_seq, business_id, mode, template_id, serial_number, external_id, customer_name, customer_email,
      email_normalized, points, balance_minor, currency, barcode_data, nfc_data, metadata, download_token, auth_token,
      expires_at, created_at, updated_at)
    SELECT ${p.id}, (SELECT COALESCE(MAX(seq), 0) + 1 FROM passes), ${NEXT_CHANGE}, ${p.businessId}, ${p.mode}, ${p.templateId}, ${p.serialNumber},
      ${p.externalId}, ${p.customerName}, ${p.customerEmail}, ${p.customerEmail?.toLowerCase() ?? null}, ${p.points}, ${p.balanceMinor},
      ${p.currency}, ${p.barcodeData}, ${p.nfcData}, ${JSON.stringify(p.metadata)}, ${p.downloadToken}, ${p.authToken}, ${p.expiresAt},
      ${p.now}, ${p.now}
    WHERE ${withinLimit}
    ON CONFLICT DO NOTHING
    RETURNING *`,
  );
}

/** What one pass change sets, and the condition — the rule — under which it applies. */
export interface PassUpdate {
  set: SQL;
  where: SQL;
}

/** The pass takes actions now: not voided, redeemed, or past its expiry. */
const usableAt = (now: string) => sql`status IN ('active', 'checked_in') AND (expires_at IS NULL OR expires_at > ${now})`;

/** Why the pass is not valid now ('voided', 'redeemed', 'expired'), or NULL: the same test as `usableAt`. */
export const invalidity = (now: string): SQL =>
  sql`(CASE WHEN status = 'voided' THEN 'voided' WHEN status = 'redeemed' THEN 'redeemed'
    WHEN expires_at IS NOT NULL AND expires_at <= ${now} THEN 'expired' END)`;

/** The template's cooldown, applied at `now`: null always allows, 0 allows one check-in ever, n seconds one per window. */
export interface CheckInRule {
  now: string;
  cooldownSeconds: ScanSecurity["cooldown_seconds"];
}

function cooldownRefusal({ now, cooldownSeconds }: CheckInRule): SQL {
  if (cooldownSeconds === null) return sql`NULL`;
  if (cooldownSeconds === 0) return sql`(CASE WHEN first_checked_in_at IS NOT NULL THEN 'already_checked_in' END)`;
  const windowStart = new Date(Date.parse(now) - cooldownSeconds * 1000).toISOString();
  return sql`(CASE WHEN checked_in_at > ${windowStart} THEN 'cooldown' END)`;
}

/**
 * Why a check-in is refused now (a ScanReason), or NULL when it is allowed. This one expression
 * is the rule: the check-in UPDATE applies only where it is NULL, and scan records store it, so
 * what a scan reports is always what decided it.
 */
export const checkInRefusal = (rule: CheckInRule): SQL => sql`COALESCE(${invalidity(rule.now)}, ${cooldownRefusal(rule)})`;

/** The same update, made only while `condition` also holds. */
export const alsoWhere = (update: PassUpdate, condition: SQL): PassUpdate => ({
  set: update.set,
  where: sql`${condition} AND ${update.where}`,
});

/** The condition under which a check-in's auto-stamp adds a stamp (and its ledger row): below the maximum. */
export const stampsBelow = (max: number): SQL => sql`stamps < ${max}`;

export const passUpdates = {
  /** Never past `max`: compared as `value <= max - delta`, so not even the check can overflow. */
  add: (counter: Counter, delta: number, max: number, now: string): PassUpdate => ({
    set: sql`${COUNTER_COLUMN[counter]} = ${COUNTER_COLUMN[counter]} + ${delta}`,
    where: sql`${usableAt(now)} AND ${COUNTER_COLUMN[counter]} <= ${max - delta}`,
  }),
  /** Never below zero: the balance check and the deduction are one statement. */
  charge: (minor: number, now: string): PassUpdate => ({
    set: sql`balance_minor = balance_minor - ${minor}`,
    where: sql`${usableAt(now)} AND balance_minor >= ${minor}`,
  }),
  /**
   * A check-in, allowed by the template's cooldown. A ticket becomes `checked_in`; with auto-stamp
   * the visit also adds a stamp below `stampsMax`, in the same statement, so a refused check-in
   * stamps nothing and one at the maximum checks in without a stamp.
   */
  checkIn: (rule: CheckInRule, effects: { marksTicket: boolean; addsStamp: boolean; stampsMax: number }): PassUpdate => ({
    set: sql.join(
      [
        sql`checked_in_at = ${rule.now}, first_checked_in_at = COALESCE(first_checked_in_at, ${rule.now})`,
        ...(effects.marksTicket ? [sql`status = 'checked_in'`] : []),
        ...(effects.addsStamp ? [sql`stamps = CASE WHEN ${stampsBelow(effects.stampsMax)} THEN stamps + 1 ELSE stamps END`] : []),
      ],
      sql`, `,
    ),
    where: sql`${checkInRefusal(rule)} IS NULL`,
  }),
  redeem: (now: string): PassUpdate => ({ set: sql`status = 'redeemed', redeemed_at = ${now}`, where: usableAt(now) }),
  void: (now: string): PassUpdate => ({ set: sql`status = 'voided', voided_at = ${now}`, where: sql`status != 'voided'` }),
  /** Reactivating a checked-in ticket undoes its check-in, so it may check in again (SET reads the old status). */
  reactivate: (now: string): PassUpdate => ({
    set: sql`status = 'active', reactivated_at = ${now},
      checked_in_at = CASE WHEN status = 'checked_in' THEN NULL ELSE checked_in_at END,
      first_checked_in_at = CASE WHEN status = 'checked_in' THEN NULL ELSE first_checked_in_at END`,
    where: sql`status IN ('voided', 'redeemed', 'checked_in') AND (expires_at IS NULL OR expires_at > ${now})`,
  }),
  /** A new key version: the pass's signed barcode changes, and every copy of the old one stops scanning. */
  rotateBarcode: (): PassUpdate => ({ set: sql`barcode_key_version = barcode_key_version + 1`, where: sql`1 = 1` }),
};

export interface PassFieldChanges {
  customerName?: string | null;
  customerEmail?: string | null;
  externalId?: string | null;
  /** Counters set to absolute values (balance in minor units). */
  counters?: Partial<Record<Counter, number>>;
  /** RFC 7396 merge: keys set to null are removed. */
  metadataPatch?: Record<string, unknown>;
  barcodeData?: string | null;
  nfcData?: string | null;
}

/** A PATCH: sets exactly the given fields, unconditionally. */
export function setPassFields(c: PassFieldChanges): PassUpdate {
  const sets: SQL[] = [];
  for (const [counter, value] of Object.entries(c.counters ?? {}) as Array<[Counter, number]>) {
    sets.push(sql`${COUNTER_COLUMN[counter]} = ${value}`);
  }
  if (c.customerName !== undefined) sets.push(sql`customer_name = ${c.customerName}`);
  if (c.customerEmail !== undefined) {
    sets.push(sql`customer_email = ${c.customerEmail}, email_normalized = ${c.customerEmail?.toLowerCase() ?? null}`);
  }
  if (c.externalId !== undefined) sets.push(sql`external_id = ${c.externalId}`);
  if (c.metadataPatch !== undefined) sets.push(sql`metadata = json_patch(metadata, ${JSON.stringify(c.metadataPatch)})`);
  if (c.barcodeData !== undefined) sets.push(sql`barcode_data = ${c.barcodeData}`);
  if (c.nfcData !== undefined) sets.push(sql`nfc_data = ${c.nfcData}`);
  return { set: sql.join(sets, sql`, `), where: sql`1 = 1` };
}

/** One conditional UPDATE … RETURNING: the whole decision is in its WHERE clause. */
export function updatePass(db: Database, passId: string, update: PassUpdate, now: string) {
  return statement(
    db,
    sql`
    UPDATE passes SET ${update.set}, version = version + 1, change_seq = ${NEXT_CHANGE}, updated_at = ${now}
    WHERE id = ${passId} AND ${update.where}
    RETURNING *`,
  );
}

export function findPassById(db: Database, businessId: string, mode: Mode, passId: string) {
  return firstRow<PassRow>(db, sql`SELECT * FROM passes WHERE id = ${passId} AND business_id = ${businessId} AND mode = ${mode}`);
}

/** For background work that starts from a queued pass id, within the shard the message names. */
export function findPassByIdUnscoped(db: Database, passId: string) {
  return firstRow<PassRow>(db, sql`SELECT * FROM passes WHERE id = ${passId}`);
}

/** Wallet endpoints know only the serial: it is unique system-wide (it carries its business's prefix). */
export function findPassBySerial(db: Database, serial: string) {
  return firstRow<PassRow>(db, sql`SELECT * FROM passes WHERE serial_number = ${serial}`);
}

const withTemplateType = sql.raw("(SELECT type FROM templates WHERE templates.id = passes.template_id) AS template_type");

/** id first, then serial number, then external_id: three index lookups, that precedence. */
export function findPassByIdentifier(db: Database, businessId: string, mode: Mode, identifier: string) {
  return firstRow<PassWithType>(
    db,
    sql`
    SELECT *, ${withTemplateType} FROM (
      SELECT *, 0 AS precedence FROM passes WHERE id = ${identifier}
      UNION ALL SELECT *, 1 FROM passes WHERE serial_number = ${identifier}
      UNION ALL SELECT *, 2 FROM passes WHERE business_id = ${businessId} AND mode = ${mode} AND external_id = ${identifier}
    ) AS passes
    WHERE business_id = ${businessId} AND mode = ${mode}
    ORDER BY precedence LIMIT 1`,
  );
}

/** Resolves many identifiers at once (bound parameters are limited, so callers chunk). */
export function findPassesByIdentifiers(db: Database, businessId: string, mode: Mode, identifiers: string[]) {
  const list = sql.join(
    identifiers.map((i) => sql`${i}`),
    sql`, `,
  );
  return allRows<PassWithType>(
    db,
    sql`
    SELECT *, ${withTemplateType} FROM passes WHERE id IN (${list}) AND business_id = ${businessId} AND mode = ${mode}
    UNION SELECT *, ${withTemplateType} FROM passes WHERE serial_number IN (${list}) AND business_id = ${businessId} AND mode = ${mode}
    UNION SELECT *, ${withTemplateType} FROM passes WHERE business_id = ${businessId} AND mode = ${mode} AND external_id IN (${list})`,
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
    SELECT * FROM passes WHERE business_id = ${businessId} AND mode = ${mode} AND email_normalized = ${email.toLowerCase()}
    ORDER BY id DESC LIMIT 500`,
  );
}

/** A business's passes for an email, every business in the shard that the email index named. */
export function findLivePassesByEmailAcross(db: Database, businessIds: string[], email: string) {
  const list = sql.join(
    businessIds.map((i) => sql`${i}`),
    sql`, `,
  );
  return allRows<PassRow>(
    db,
    sql`
    SELECT * FROM passes WHERE business_id IN (${list}) AND mode = 'live' AND email_normalized = ${email.toLowerCase()}
    ORDER BY id DESC LIMIT 500`,
  );
}

/** What identifies the pass a scan or a check-in names; the write re-checks it, so a stale read cannot act on the wrong pass. */
export type PassKey = { column: "id" | "serial_number" | "external_id" | "barcode_data"; value: string };

/** A pass to scan, with what its template says about scanning and which of `keys` found it. */
export type ScanTarget = PassWithType & { scan_security: string; matched_column: PassKey["column"] };

/**
 * The first of `keys` (in that precedence) that names a pass of the business, with its template's
 * type and scan settings: one query, one index lookup per key.
 */
export function findScanTarget(db: Database, businessId: string, mode: Mode, keys: PassKey[]) {
  const candidates = keys.map(
    (key, precedence) =>
      sql`SELECT *, ${precedence} AS precedence, ${key.column} AS matched_column FROM passes
        WHERE business_id = ${businessId} AND mode = ${mode} AND ${sql.raw(key.column)} = ${key.value}`,
  );
  return firstRow<ScanTarget>(
    db,
    sql`
    SELECT passes.*, templates.type AS template_type, json_extract(templates.design, '$.scan_security') AS scan_security
    FROM (${sql.join(candidates, sql` UNION ALL `)}) AS passes JOIN templates ON templates.id = passes.template_id
    ORDER BY precedence LIMIT 1`,
  );
}

/** The pass is still the one `key` named (and, for a signature checked at `keyVersion`, still signs with it). */
export function stillNamedBy(key: PassKey, keyVersion?: number): SQL {
  const named = sql`${sql.raw(key.column)} = ${key.value}`;
  return keyVersion === undefined ? named : sql`${named} AND barcode_key_version = ${keyVersion}`;
}

/** Why a check-in of the pass would be refused now, without attempting one (null: it would be allowed). */
export function checkInRefusalOf(db: Database, passId: string, rule: CheckInRule) {
  return firstRow<{ reason: ScanReason | null }>(db, sql`SELECT ${checkInRefusal(rule)} AS reason FROM passes WHERE id = ${passId}`);
}

export function selectPass(db: Database, passId: string) {
  return statement(db, sql`SELECT * FROM passes WHERE id = ${passId}`);
}

export function findBarcodeDataTaken(db: Database, businessId: string, mode: Mode, values: string[]) {
  const list = sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
  return allRows<{ barcode_data: string }>(
    db,
    sql`SELECT barcode_data FROM passes WHERE business_id = ${businessId} AND mode = ${mode} AND barcode_data IN (${list})`,
  );
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

export function countLivePassesUpTo(db: Database, businessId: string, limit: number) {
  return firstRow<{ n: number }>(db, sql`SELECT ${liveRowsUpTo("passes", businessId, limit)} AS n`);
}

export type PassOrder = "created" | "updated" | "expires" | "expired" | "search";

export interface PassListQuery {
  templateId?: string;
  status?: PassStatus;
  /** Substring of name, email, external_id or serial (at least 3 characters: the index is of trigrams). */
  q?: string;
  updatedSince?: string;
  expiresBefore?: string;
  /** The decoded cursor of the order `passListOrder` chose. */
  after?: CursorKey;
  limit: number;
  now: string;
}

/**
 * Which order a list request reads in. Each has an index whose leading columns are the business,
 * the mode and the filter, so a page reads about a page of rows whatever the business's size.
 */
export function passListOrder(q: Pick<PassListQuery, "q" | "status" | "updatedSince" | "expiresBefore">): PassOrder {
  if (q.q) return "search";
  if (q.expiresBefore) return "expires";
  if (q.status === "expired") return "expired";
  if (q.updatedSince) return "updated";
  return "created";
}

const ORDERS: Record<PassOrder, { by: SQL; after: (key: CursorKey) => SQL; cursor: (row: PassRow) => CursorKey; parts: number }> = {
  created: { by: sql`id DESC`, after: ([id]) => sql`id < ${id}`, cursor: (r) => [r.id], parts: 1 },
  updated: {
    by: sql`updated_at DESC, id DESC`,
    after: ([at, id]) => sql`(updated_at, id) < (${at}, ${id})`,
    cursor: (r) => [r.updated_at, r.id],
    parts: 2,
  },
  expires: {
    by: sql`expires_at, id`,
    after: ([at, id]) => sql`(expires_at, id) > (${at}, ${id})`,
    cursor: (r) => [r.expires_at, r.id],
    parts: 2,
  },
  expired: {
    by: sql`expires_at DESC, id DESC`,
    after: ([at, id]) => sql`(expires_at, id) < (${at}, ${id})`,
    cursor: (r) => [r.expires_at, r.id],
    parts: 2,
  },
  search: { by: sql`passes_fts.rowid DESC`, after: ([seq]) => sql`passes_fts.rowid < ${seq}`, cursor: (r) => [r.seq], parts: 1 },
};

export const passCursor = (order: PassOrder, row: PassRow) => ORDERS[order].cursor(row);
export const passCursorParts = (order: PassOrder) => ORDERS[order].parts;

function statusCondition(status: PassStatus, now: string): SQL {
  if (status === "expired") return sql`status IN ('active', 'checked_in') AND expires_at <= ${now}`;
  if (status === "active") return sql`status = 'active' AND (expires_at IS NULL OR expires_at > ${now})`;
  return sql`status = ${status}`;
}

/** Trigram search terms: each whitespace-separated word must appear; quotes make words literal. */
const searchExpression = (q: string) =>
  q
    .trim()
    .split(/\s+/)
    .map((word) => `"${word.replace(/"/g, '""')}"`)
    .join(" AND ");

export function listPasses(db: Database, businessId: string, mode: Mode, order: PassOrder, f: PassListQuery) {
  const conditions: SQL[] = [sql`passes.business_id = ${businessId}`, sql`passes.mode = ${mode}`];
  if (f.templateId) conditions.push(sql`template_id = ${f.templateId}`);
  if (f.status) conditions.push(statusCondition(f.status, f.now));
  if (f.updatedSince) conditions.push(sql`updated_at >= ${f.updatedSince}`);
  if (f.expiresBefore) conditions.push(sql`expires_at IS NOT NULL AND expires_at < ${f.expiresBefore}`);
  if (f.after) conditions.push(ORDERS[order].after(f.after));
  // Search walks the trigram index newest first and stops at a page, instead of collecting every match.
  const from = f.q ? sql`passes_fts JOIN passes ON passes.seq = passes_fts.rowid` : sql`passes`;
  if (f.q) conditions.push(sql`passes_fts MATCH ${searchExpression(f.q)}`);
  return allRows<PassRow>(
    db,
    sql`SELECT passes.* FROM ${from} WHERE ${sql.join(conditions, sql` AND `)} ORDER BY ${ORDERS[order].by} LIMIT ${f.limit + 1}`,
  );
}

/** Ids of a template's passes after `after`, in id order: one page of a fan-out. */
export function passIdsOfTemplate(db: Database, templateId: string, after: string, limit: number) {
  return allRows<{ id: string }>(
    db,
    sql`SELECT id FROM passes WHERE template_id = ${templateId} AND id > ${after} ORDER BY id LIMIT ${limit}`,
  );
}

export function findPassesByIdsUnscoped(db: Database, ids: string[]) {
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return allRows<PassRow>(db, sql`SELECT * FROM passes WHERE id IN (${list})`);
}
