import { indexCustomerEmails } from "../../db/customer-emails";
import { insertPassEvent } from "../../db/events";
import { insertLedgerForSet } from "../../db/ledger";
import {
  type Counter,
  findExternalIds,
  findPassesByIdentifiers,
  type PassFieldChanges,
  type PassRow,
  type PassWithType,
  setPassFields,
  updatePass,
} from "../../db/passes";
import { runBatch } from "../../db/statements";
import type { Batch, StatementResult, Tenant } from "../../db/tenant";
import { chunk } from "../../lib/chunk";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Principal } from "../../types";
import { customerEmailHash } from "../customers";
import { toMinorUnits } from "../money";
import { TYPE_CAPABILITIES } from "../templates/design";
import { resolvePass } from "./actions";
import { COUNTER_MAX, pastMaximum } from "./limits";
import { withArticle } from "./present";

export interface PassChanges {
  customer_name?: string | null;
  customer_email?: string | null;
  external_id?: string | null;
  points?: number;
  balance?: number;
  stamps?: number;
  metadata?: Record<string, unknown>;
  barcode_data?: string | null;
  nfc_data?: string | null;
}

class ChangeError extends Error {
  constructor(
    readonly code: "validation_error" | "duplicate_external_id" | "duplicate_barcode_data" | "not_found",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const COUNTERS: Counter[] = ["points", "stamps", "balance"];

/** A PATCH checked against the pass's type, in the database's terms (balance in minor units). */
function toFieldChanges(pass: PassWithType, changes: PassChanges): PassFieldChanges {
  if (Object.keys(changes).length === 0) throw new ChangeError("validation_error", "Nothing to update: give at least one field");
  const counters: Partial<Record<Counter, number>> = {};
  for (const counter of COUNTERS) {
    const value = changes[counter];
    if (value === undefined) continue;
    if (!TYPE_CAPABILITIES[pass.template_type][counter]) {
      throw new ChangeError("validation_error", `${withArticle(pass.template_type)} pass has no ${counter}`, counter);
    }
    const stored = counter === "balance" ? toMinorUnits(value, pass.currency!, "balance") : value;
    if (stored > COUNTER_MAX[counter]) throw pastMaximum(counter, pass.currency);
    counters[counter] = stored;
  }
  return {
    counters,
    customerName: changes.customer_name,
    customerEmail: changes.customer_email,
    externalId: changes.external_id,
    metadataPatch: changes.metadata,
    barcodeData: changes.barcode_data,
    nfcData: changes.nfc_data,
  };
}

/** One PATCH in a batch: ledger rows for moved counters, the UPDATE, then `pass.updated`. Returns the UPDATE's handle. */
function addChange(tenant: Tenant, batch: Batch, pass: PassWithType, changes: PassChanges, now: string): StatementResult {
  const fields = toFieldChanges(pass, changes);
  for (const [counter, value] of Object.entries(fields.counters ?? {}) as Array<[Counter, number]>) {
    batch.add(insertLedgerForSet(tenant.db, { id: newId("led"), passId: pass.id, counter, value, reason: "update", now }));
  }
  const updated = batch.add(updatePass(tenant.db, pass.id, setPassFields(fields), now));
  const change = { action: "update", fields: Object.keys(changes) };
  batch.addEvent(insertPassEvent(tenant.db, { id: newId("evt"), passId: pass.id, type: "pass.updated", change, now, afterChange: true }));
  return updated;
}

const isUniqueViolation = (error: unknown) => String((error as Error)?.message ?? error).includes("UNIQUE");

/** Which unique value the change collided with: SQLite names the index's columns in its message. */
function duplicateOf(error: unknown, changes: PassChanges): ChangeError {
  if (String((error as Error)?.message ?? error).includes("barcode_data")) {
    return new ChangeError(
      "duplicate_barcode_data",
      `barcode_data ${changes.barcode_data} is already used by another pass`,
      "barcode_data",
    );
  }
  return new ChangeError("duplicate_external_id", `external_id ${changes.external_id} already exists`, "external_id");
}

/** New live emails join the customer index before the change commits, so the index is never behind. */
async function indexEmails(tenant: Tenant, principal: Principal, items: PassChanges[]): Promise<void> {
  if (principal.mode !== "live") return;
  const emails = [...new Set(items.flatMap((i) => (i.customer_email ? [i.customer_email] : [])))];
  if (emails.length === 0) return;
  await runBatch(
    tenant.control,
    indexCustomerEmails(tenant.control, principal.businessId, await Promise.all(emails.map(customerEmailHash))),
  );
}

/** Runs one pass's change on its own; a unique violation is its new external_id being taken. */
async function runChange(tenant: Tenant, pass: PassWithType, changes: PassChanges, now: string): Promise<PassRow> {
  const batch = tenant.batch();
  const updated = addChange(tenant, batch, pass, changes, now);
  try {
    await batch.run();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateOf(error, changes);
    throw error;
  }
  return updated.first<PassRow>()!;
}

function toApiError(error: ChangeError): ApiError {
  if (error.code === "duplicate_external_id" || error.code === "duplicate_barcode_data") return new ApiError("conflict", error.message);
  if (error.code === "not_found") return new ApiError("not_found", error.message);
  return new ApiError("validation_error", error.message, { fields: [{ path: error.field ?? "body", message: error.message }] });
}

export async function updatePassFields(tenant: Tenant, principal: Principal, identifier: string, changes: PassChanges): Promise<PassRow> {
  const pass = await resolvePass(tenant, principal, identifier);
  try {
    await indexEmails(tenant, principal, [changes]);
    return await runChange(tenant, pass, changes, new Date().toISOString());
  } catch (error) {
    throw error instanceof ChangeError ? toApiError(error) : error;
  }
}

export type BulkChangeOutcome = { ok: true; row: PassRow } | { ok: false; code: string; message: string };

/** id, then serial, then external_id — the same precedence as a single lookup, over many rows. */
function pickTarget(rows: PassWithType[], identifier: string): PassWithType | undefined {
  return (
    rows.find((r) => r.id === identifier) ??
    rows.find((r) => r.serial_number === identifier) ??
    rows.find((r) => r.external_id === identifier)
  );
}

/**
 * Bulk PATCH: identifiers resolved in a few queries, every valid item written in one batch;
 * if a concurrent write makes that batch fail, items are retried one by one so each gets
 * its own result.
 */
export async function updatePasses(
  tenant: Tenant,
  principal: Principal,
  items: Array<PassChanges & { identifier: string }>,
): Promise<BulkChangeOutcome[]> {
  const identifiers = [...new Set(items.map((i) => i.identifier))];
  const rows: PassWithType[] = [];
  for (const part of chunk(identifiers, 30))
    rows.push(...(await findPassesByIdentifiers(tenant.db, principal.businessId, principal.mode, part)));

  const requestedExternal = items.flatMap((i) => (i.external_id ? [i.external_id] : []));
  const taken = new Map<string, string>();
  for (const part of chunk([...new Set(requestedExternal)], 90)) {
    for (const row of await findExternalIds(tenant.db, principal.businessId, principal.mode, part)) taken.set(row.external_id, "");
  }
  for (const row of rows) if (row.external_id) taken.set(row.external_id, row.id);

  const now = new Date().toISOString();
  const outcomes: BulkChangeOutcome[] = new Array(items.length);
  const batch = tenant.batch();
  const planned: Array<{ index: number; pass: PassWithType; changes: PassChanges; updated: StatementResult }> = [];
  items.forEach(({ identifier, ...changes }, index) => {
    try {
      const pass = pickTarget(rows, identifier);
      if (!pass) throw new ChangeError("not_found", `Pass with identifier ${identifier} does not exist.`);
      if (changes.external_id) {
        const owner = taken.get(changes.external_id);
        if (owner !== undefined && owner !== pass.id) {
          throw new ChangeError("duplicate_external_id", `external_id ${changes.external_id} already exists`, "external_id");
        }
        taken.set(changes.external_id, pass.id);
      }
      planned.push({ index, pass, changes, updated: addChange(tenant, batch, pass, changes, now) });
    } catch (error) {
      if (!(error instanceof ChangeError) && !(error instanceof ApiError)) throw error;
      outcomes[index] = { ok: false, code: error.code, message: error.message };
    }
  });

  await indexEmails(
    tenant,
    principal,
    planned.map((p) => p.changes),
  );
  try {
    await batch.run();
    for (const p of planned) outcomes[p.index] = { ok: true, row: p.updated.first<PassRow>()! };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    for (const p of planned) {
      try {
        outcomes[p.index] = { ok: true, row: await runChange(tenant, p.pass, p.changes, now) };
      } catch (inner) {
        if (!(inner instanceof ChangeError)) throw inner;
        outcomes[p.index] = { ok: false, code: inner.code, message: inner.message };
      }
    }
  }
  return outcomes;
}
