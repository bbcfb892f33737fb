import { type SQL, sql } from "drizzle-orm";
import type { ScanAction, ScanReason, ScanResult } from "../domain/enums";
import type { Database } from "./client";
import { PASS_SNAPSHOT } from "./events";
import { type CheckInRule, checkInRefusal, invalidity } from "./passes";
import { allRows, statement } from "./statements";
import type { EventInsert } from "./tenant";

export interface ScanRow {
  id: string;
  business_id: string;
  mode: string;
  pass_id: string;
  action: ScanAction;
  result: ScanResult;
  reason: ScanReason | null;
  code: string | null;
  api_key_id: string | null;
  user_id: string | null;
  device: string | null;
  created_at: string;
}

/** A scan's result and reason as SQL, worked out in the scan's own batch from the pass as it stands there. */
export interface ScanVerdict {
  result: SQL;
  reason: SQL;
}

export const scanVerdicts = {
  /** The barcode's signature did not hold: nothing else is looked at. */
  badSignature: (): ScanVerdict => ({ result: sql`'invalid'`, reason: sql`'invalid_signature'` }),
  /**
   * Right after the check-in's conditional UPDATE: every statement since it wrote one row exactly
   * when it changed the pass, so changes() still says whether the check-in happened.
   */
  afterCheckIn: (rule: CheckInRule): ScanVerdict => ({
    result: sql`CASE WHEN changes() = 1 THEN 'checked_in' WHEN ${invalidity(rule.now)} IS NOT NULL THEN 'invalid' ELSE 'blocked' END`,
    reason: sql`CASE WHEN changes() = 1 THEN NULL ELSE ${checkInRefusal(rule)} END`,
  }),
  /** A verify changes nothing: valid or not, and why a check-in would be refused. */
  verifyOnly: (rule: CheckInRule): ScanVerdict => ({
    result: sql`CASE WHEN ${invalidity(rule.now)} IS NULL THEN 'valid' ELSE 'invalid' END`,
    reason: checkInRefusal(rule),
  }),
};

export interface NewScan {
  id: string;
  passId: string;
  action: ScanAction;
  code: string | null;
  apiKeyId: string | null;
  userId: string | null;
  device: string | null;
  now: string;
  /** The result and the reason, decided inside the batch from the pass as it stands there. */
  verdict: ScanVerdict;
  /** Written only while the pass is still the one the scan found (see `stillNamedBy`). */
  where: SQL;
}

/** The scan's record, RETURNING it: what the batch decided is read back from here. */
export function insertScan(db: Database, s: NewScan) {
  return statement(
    db,
    sql`
    INSERT INTO scans (id, business_id, mode, pass_id, action, result, reason, code, api_key_id, user_id, device, created_at)
    SELECT ${s.id}, business_id, mode, id, ${s.action}, ${s.verdict.result}, ${s.verdict.reason}, ${s.code}, ${s.apiKeyId}, ${s.userId}, ${s.device}, ${s.now}
    FROM passes WHERE id = ${s.passId} AND ${s.where}
    RETURNING *`,
  );
}

/** `pass.scanned`: the pass as the batch left it, and the scan under `scan`. Written only if the scan row was. */
export function insertScanEvent(db: Database, e: { id: string; scanId: string; now: string }): EventInsert {
  const scanObject = sql`(SELECT json_object('id', id, 'action', action, 'result', result, 'reason', reason, 'device', device,
    'api_key_id', api_key_id, 'user_id', user_id) FROM scans WHERE id = ${e.scanId})`;
  const insert = statement(
    db,
    sql`
    INSERT INTO events (id, business_id, mode, pass_id, type, data, created_at)
    SELECT ${e.id}, business_id, mode, id, 'pass.scanned', json_set(${PASS_SNAPSHOT}, '$.scan', json(${scanObject})), ${e.now}
    FROM passes WHERE id = (SELECT pass_id FROM scans WHERE id = ${e.scanId})
    RETURNING id`,
  );
  return { id: e.id, statement: insert };
}

export function listScans(db: Database, passId: string, page: { cursor?: string; limit: number }) {
  return allRows<ScanRow>(
    db,
    sql`
    SELECT * FROM scans
    WHERE pass_id = ${passId} ${page.cursor ? sql`AND id < ${page.cursor}` : sql``}
    ORDER BY id DESC LIMIT ${page.limit + 1}`,
  );
}
