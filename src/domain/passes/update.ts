import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  type Counter,
  findExternalIds,
  findPassesByIdentifiers,
  insertEvent,
  insertLedgerForSet,
  type PassRow,
  updatePassWhere,
} from "../../db/passes";
import { runBatch } from "../../db/statements";
import { chunk } from "../../lib/chunk";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Principal } from "../../types";
import type { TemplateType } from "../enums";
import { toMinorUnits } from "../money";
import { TYPE_CAPABILITIES } from "../templates/design";
import { resolvePass } from "./actions";
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

type Target = PassRow & { template_type: TemplateType };

class ChangeError extends Error {
  constructor(
    readonly code: "validation_error" | "duplicate_external_id" | "not_found",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const COUNTERS: Array<[keyof PassChanges & Counter, Counter]> = [
  ["points", "points"],
  ["stamps", "stamps"],
  ["balance", "balance"],
];

/** The statements for one PATCH: ledger rows for moved counters, the UPDATE, then `pass.updated`. */
function changeStatements(db: Database, pass: Target, changes: PassChanges, now: string) {
  const sets: SQL[] = [];
  const ledger = [];
  for (const [field, counter] of COUNTERS) {
    const value = changes[field];
    if (value === undefined) continue;
    if (!TYPE_CAPABILITIES[pass.template_type][counter]) {
      throw new ChangeError("validation_error", `${withArticle(pass.template_type)} pass has no ${counter}`, field);
    }
    const stored = counter === "balance" ? toMinorUnits(value, pass.currency!, "balance") : value;
    ledger.push(insertLedgerForSet(db, { id: newId("led"), passId: pass.id, counter, value: stored, reason: "update", now }));
    sets.push(counter === "balance" ? sql`balance_minor = ${stored}` : sql`${sql.raw(counter)} = ${stored}`);
  }
  if (changes.customer_name !== undefined) sets.push(sql`customer_name = ${changes.customer_name}`);
  if (changes.customer_email !== undefined) {
    sets.push(sql`customer_email = ${changes.customer_email}, email_normalized = ${changes.customer_email?.toLowerCase() ?? null}`);
  }
  if (changes.external_id !== undefined) sets.push(sql`external_id = ${changes.external_id}`);
  // RFC 7396 merge: keys set to null are removed.
  if (changes.metadata !== undefined) sets.push(sql`metadata = json_patch(metadata, ${JSON.stringify(changes.metadata)})`);
  if (changes.barcode_data !== undefined) sets.push(sql`barcode_data = ${changes.barcode_data}`);
  if (changes.nfc_data !== undefined) sets.push(sql`nfc_data = ${changes.nfc_data}`);
  if (sets.length === 0) throw new ChangeError("validation_error", "Provide at least one field to update");

  const changed = Object.keys(changes);
  return [
    ...ledger,
    updatePassWhere(db, pass.id, sql.join(sets, sql`, `), sql`1 = 1`, now),
    insertEvent(db, {
      id: newId("evt"),
      passId: pass.id,
      type: "pass.updated",
      change: { action: "update", fields: changed },
      now,
      afterChange: true,
    }),
  ];
}

const isUniqueViolation = (error: unknown) => String((error as Error)?.message ?? error).includes("UNIQUE");

/** Runs one pass's statements; the UPDATE's RETURNING row is the result. */
async function runChange(db: Database, statements: ReturnType<typeof changeStatements>, externalId?: string | null): Promise<PassRow> {
  try {
    const results = await runBatch(db, statements);
    return results[statements.length - 2]!.results[0] as PassRow;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ChangeError("duplicate_external_id", `external_id ${externalId} already exists`, "external_id");
    throw error;
  }
}

function toApiError(error: ChangeError): ApiError {
  if (error.code === "duplicate_external_id") return new ApiError("conflict", error.message);
  if (error.code === "not_found") return new ApiError("not_found", error.message);
  return new ApiError("validation_error", error.message, { fields: [{ path: error.field ?? "body", message: error.message }] });
}

export async function updatePass(db: Database, principal: Principal, identifier: string, changes: PassChanges): Promise<PassRow> {
  const pass = await resolvePass(db, principal, identifier);
  try {
    return await runChange(db, changeStatements(db, pass, changes, new Date().toISOString()), changes.external_id);
  } catch (error) {
    throw error instanceof ChangeError ? toApiError(error) : error;
  }
}

export type BulkChangeOutcome = { ok: true; row: PassRow } | { ok: false; code: string; message: string };

/** id, then serial, then external_id — the same precedence as a single lookup, over many rows. */
function pickTarget(rows: Target[], identifier: string): Target | undefined {
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
  db: Database,
  principal: Principal,
  items: Array<PassChanges & { identifier: string }>,
): Promise<BulkChangeOutcome[]> {
  const identifiers = [...new Set(items.map((i) => i.identifier))];
  const rows: Target[] = [];
  for (const part of chunk(identifiers, 30)) rows.push(...(await findPassesByIdentifiers(db, principal.businessId, principal.mode, part)));

  const requestedExternal = items.flatMap((i) => (i.external_id ? [i.external_id] : []));
  const taken = new Map<string, string>();
  for (const part of chunk([...new Set(requestedExternal)], 90)) {
    for (const row of await findExternalIds(db, principal.businessId, principal.mode, part)) taken.set(row.external_id, "");
  }
  for (const row of rows) if (row.external_id) taken.set(row.external_id, row.id);

  const now = new Date().toISOString();
  const outcomes: BulkChangeOutcome[] = new Array(items.length);
  const planned: Array<{ index: number; statements: ReturnType<typeof changeStatements>; externalId?: string | null }> = [];
  items.forEach(({ identifier, ...changes }, index) => {
    try {
      const pass = pickTarget(rows, identifier);
      if (!pass) throw new ChangeError("not_found", `Pass with identifier ${identifier} does not exist.`);
      if (changes.external_id) {
        const owner = taken.get(changes.external_id);
        if (owner !== undefined && owner !== pass.id)
          throw new ChangeError("duplicate_external_id", `external_id ${changes.external_id} already exists`, "external_id");
        taken.set(changes.external_id, pass.id);
      }
      planned.push({ index, statements: changeStatements(db, pass, changes, now), externalId: changes.external_id });
    } catch (error) {
      if (!(error instanceof ChangeError) && !(error instanceof ApiError)) throw error;
      outcomes[index] = { ok: false, code: error.code, message: error.message };
    }
  });

  try {
    const all = planned.flatMap((p) => p.statements);
    const results = await runBatch(db, all);
    let offset = 0;
    for (const p of planned) {
      offset += p.statements.length;
      outcomes[p.index] = { ok: true, row: results[offset - 2]!.results[0] as PassRow };
    }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    for (const p of planned) {
      try {
        outcomes[p.index] = { ok: true, row: await runChange(db, p.statements, p.externalId) };
      } catch (inner) {
        if (!(inner instanceof ChangeError)) throw inner;
        outcomes[p.index] = { ok: false, code: inner.code, message: inner.message };
      }
    }
  }
  return outcomes;
}
