import { insertPassEvent } from "../../db/events";
import { insertLedgerBeforeChange } from "../../db/ledger";
import {
  alsoWhere,
  type CheckInRule,
  findScanTarget,
  type PassKey,
  type PassRow,
  passUpdates,
  type ScanTarget,
  selectPass,
  stampsBelow,
  stillNamedBy,
  updatePass,
} from "../../db/passes";
import { insertScan, insertScanEvent, type ScanRow, type ScanVerdict, scanVerdicts } from "../../db/scans";
import type { Tenant } from "../../db/tenant";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Principal } from "../../types";
import { verifyBarcodeSignature } from "../barcodes";
import type { ScanAction, ScanReason } from "../enums";
import { COUNTER_MAX } from "../passes/limits";
import { unusableMessage } from "../passes/present";
import { type ScanSecurity, TYPE_CAPABILITIES } from "../templates/design";
import { readScannedCode, type ScannedCode } from "./code";
import { clockTime, timeLeft } from "./wording";

/** Why a scan's check-in was (or would be) refused, or why the pass is not valid. */
export interface Refusal {
  reason: ScanReason;
  message: string;
  /** Cooldown windows only: when a check-in will be allowed again. */
  retryAfterSeconds?: number;
}

/** What one scan came to, as its batch recorded it. */
export interface ScanOutcome {
  scan: ScanRow;
  pass: PassRow;
  refusal?: Refusal;
}

interface ScanRequest {
  action: ScanAction;
  /** What was scanned; null for a check-in by pass id, which has no barcode to check. */
  code: ScannedCode | null;
  device: string | null;
}

/** How a barcode's signature is checked: the deployment's signing secret, read only when a signed barcode is scanned. */
export type SigningSecret = () => string;

/**
 * `POST /businesses/{id}/scan`. A check-in that is refused throws (403, 409 or 429) once its scan
 * is recorded; a verify answers whatever it finds, except a bad signature (403): a forged code
 * identifies nobody.
 */
export async function scanCode(
  tenant: Tenant,
  principal: Principal,
  secret: SigningSecret,
  input: { code: string; action: ScanAction; device?: string },
): Promise<ScanOutcome> {
  const code = readScannedCode(input.code);
  // A merchant's own barcode_data first: it is whatever their ticketing system printed, even a URL.
  const keys: PassKey[] = [
    { column: "barcode_data", value: code.text },
    { column: "serial_number", value: code.serial },
  ];
  const outcome = await scan(tenant, principal, secret, keys, { action: input.action, code, device: input.device ?? null });
  if (outcome.refusal && (input.action === "checkin" || outcome.refusal.reason === "invalid_signature"))
    throw refusalError(outcome.refusal);
  return outcome;
}

/** `POST …/passes/{id}/checkin`: the same rules, the same statement, as a scanned check-in. */
export async function checkInPass(tenant: Tenant, principal: Principal, identifier: string): Promise<PassRow> {
  const keys: PassKey[] = [
    { column: "id", value: identifier },
    { column: "serial_number", value: identifier },
    { column: "external_id", value: identifier },
  ];
  const outcome = await scan(tenant, principal, noSignatures, keys, { action: "checkin", code: null, device: null }, identifier);
  if (outcome.refusal) throw refusalError(outcome.refusal);
  return outcome.pass;
}

const noSignatures: SigningSecret = () => {
  throw new Error("a check-in by pass id has no barcode to verify");
};

/**
 * Finds the pass through the read replica, then decides and records the scan in one batch on the
 * primary. The batch re-checks that the pass is still the one the replica named; if the replica
 * was behind (or missed a pass issued a moment ago), the scan is found again on the primary.
 */
async function scan(
  tenant: Tenant,
  principal: Principal,
  secret: SigningSecret,
  keys: PassKey[],
  request: ScanRequest,
  identifier?: string,
): Promise<ScanOutcome> {
  for (const db of [tenant.replica, tenant.db, tenant.db]) {
    const target = await findScanTarget(db, principal.businessId, principal.mode, keys);
    if (!target) {
      if (db === tenant.replica) continue;
      throw new ApiError(
        "not_found",
        identifier === undefined ? "No pass matches the scanned code" : `Pass with identifier ${identifier} does not exist.`,
      );
    }
    const outcome = await recordScan(tenant, principal, target, keys, request, secret);
    if (outcome) return outcome;
  }
  throw new ApiError("conflict", "The pass changed while it was being scanned; scan it again");
}

async function signatureHolds(principal: Principal, target: ScanTarget, code: ScannedCode, secret: SigningSecret): Promise<boolean> {
  if (code.signature === null) return false;
  return verifyBarcodeSignature(secret(), principal.businessId, target.serial_number, target.barcode_key_version, code.signature);
}

/**
 * One batch: for a check-in, the conditional UPDATE whose WHERE is the cooldown rule, its ledger
 * row and `pass.updated`; then the scan record, whose result and reason are computed in SQL from
 * whether that UPDATE changed the pass; then `pass.scanned`. Undefined when the pass no longer
 * matches what found it (nothing was written).
 */
async function recordScan(
  tenant: Tenant,
  principal: Principal,
  target: ScanTarget,
  keys: PassKey[],
  request: ScanRequest,
  secret: SigningSecret,
): Promise<ScanOutcome | undefined> {
  const security = JSON.parse(target.scan_security) as ScanSecurity;
  const now = new Date().toISOString();
  const rule: CheckInRule = { now, cooldownSeconds: security.cooldown_seconds };
  // Scanning a serial (a validation URL or a bare one) of a signed template needs our signature;
  // barcode_data is the merchant's own barcode, and a check-in by id scans nothing.
  const checksSignature = request.code !== null && target.matched_column === "serial_number" && security.signed_barcodes;
  const signed = !checksSignature || (await signatureHolds(principal, target, request.code!, secret));
  const key = keys.find((k) => k.column === target.matched_column)!;
  const stillThisPass = stillNamedBy(key, checksSignature ? target.barcode_key_version : undefined);

  const batch = tenant.batch();
  let verdict: ScanVerdict;
  if (!signed) {
    verdict = scanVerdicts.badSignature();
  } else if (request.action === "checkin" || security.auto_stamp) {
    const addsStamp = security.auto_stamp && TYPE_CAPABILITIES[target.template_type].stamps;
    const update = passUpdates.checkIn(rule, {
      marksTicket: target.template_type === "event_ticket",
      addsStamp,
      stampsMax: COUNTER_MAX.stamps,
    });
    const applies = alsoWhere(update, stillThisPass);
    // Written before the UPDATE, under its condition and below the maximum: a check-in at the maximum adds no stamp and no row.
    if (addsStamp) {
      const where = alsoWhere(applies, stampsBelow(COUNTER_MAX.stamps)).where;
      batch.add(
        insertLedgerBeforeChange(tenant.db, {
          id: newId("led"),
          passId: target.id,
          counter: "stamps",
          delta: 1,
          reason: "auto_stamp",
          now,
          where,
        }),
      );
    }
    batch.add(updatePass(tenant.db, target.id, applies, now));
    const change = { action: "checkin", ...(addsStamp ? { stamps_added: 1 } : {}) };
    batch.addEvent(
      insertPassEvent(tenant.db, { id: newId("evt"), passId: target.id, type: "pass.updated", change, now, afterChange: true }),
    );
    verdict = scanVerdicts.afterCheckIn(rule);
  } else {
    verdict = scanVerdicts.verifyOnly(rule);
  }
  const scanId = newId("scan");
  const recorded = batch.add(
    insertScan(tenant.db, {
      id: scanId,
      passId: target.id,
      action: request.action,
      code: request.code?.text.slice(0, 500) ?? null,
      apiKeyId: principal.apiKeyId ?? null,
      userId: principal.userId ?? null,
      device: request.device,
      now,
      verdict,
      where: stillThisPass,
    }),
  );
  batch.addEvent(insertScanEvent(tenant.db, { id: newId("evt"), scanId, now }));
  const current = batch.add(selectPass(tenant.db, target.id));
  await batch.run();

  const scanRow = recorded.first<ScanRow>();
  if (!scanRow) return undefined;
  const pass = current.first<PassRow>()!;
  const refusal = scanRow.reason ? refusalOf(scanRow.reason, pass, rule, principal.timezone) : undefined;
  return { scan: scanRow, pass, ...(refusal ? { refusal } : {}) };
}

/** The refusal in words, from the pass as the scan's batch left it. */
export function refusalOf(reason: ScanReason, pass: PassRow, rule: CheckInRule, timezone: string): Refusal {
  switch (reason) {
    case "invalid_signature":
      return { reason, message: "Invalid barcode signature" };
    case "voided":
    case "redeemed":
    case "expired":
      return { reason, message: unusableMessage(pass, reason) };
    case "already_checked_in":
      return { reason, message: `Already checked in at ${clockTime(pass.first_checked_in_at!, timezone)}` };
    case "cooldown": {
      const cooldown = rule.cooldownSeconds!;
      const left = (Date.parse(pass.checked_in_at!) + cooldown * 1000 - Date.parse(rule.now)) / 1000;
      const seconds = Math.min(cooldown, Math.max(1, Math.ceil(left)));
      return { reason, message: `Try again in ${timeLeft(seconds)}`, retryAfterSeconds: seconds };
    }
  }
}

/** A refused check-in as the API answers it. */
function refusalError(refusal: Refusal): ApiError {
  switch (refusal.reason) {
    case "invalid_signature":
      return new ApiError("forbidden", refusal.message);
    case "already_checked_in":
      return new ApiError("rate_limited", refusal.message);
    case "cooldown":
      return new ApiError("rate_limited", refusal.message, { headers: { "Retry-After": String(refusal.retryAfterSeconds) } });
    default:
      return new ApiError("conflict", refusal.message);
  }
}

export function presentScan(row: ScanRow) {
  return {
    id: row.id,
    action: row.action,
    result: row.result,
    reason: row.reason,
    code: row.code,
    device: row.device,
    api_key_id: row.api_key_id,
    user_id: row.user_id,
    created_at: row.created_at,
  };
}
