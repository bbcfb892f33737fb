import { indexCustomerEmails } from "../../db/customer-emails";
import { insertPassEvent } from "../../db/events";
import { insertOpeningLedger } from "../../db/ledger";
import { countLivePassesUpTo, findBarcodeDataTaken, findExternalIds, insertPass, type NewPass, type PassRow } from "../../db/passes";
import { runBatch } from "../../db/statements";
import { findTemplate, type TemplateRow } from "../../db/templates";
import type { StatementResult, Tenant } from "../../db/tenant";
import { chunk } from "../../lib/chunk";
import { ApiError } from "../../lib/errors";
import { newId, newSerialNumber, randomToken } from "../../lib/ids";
import type { Principal } from "../../types";
import { customerEmailHash } from "../customers";
import { toMinorUnits } from "../money";
import { assertFeature, limitReached, PLANS } from "../plans";
import { type TemplateDesign, TYPE_CAPABILITIES } from "../templates/design";
import { COUNTER_MAX, pastMaximum } from "./limits";
import { withArticle } from "./present";

export interface IssueInput {
  template_id: string;
  customer_name?: string;
  customer_email?: string;
  external_id?: string;
  initial_balance?: number;
  points?: number;
  barcode_data?: string;
  nfc_data?: string;
  metadata?: Record<string, unknown>;
}

/** Why one pass could not be issued: the bulk endpoint reports these per item. */
export class IssueError extends Error {
  constructor(
    readonly code:
      | "template_not_found"
      | "template_archived"
      | "validation_error"
      | "duplicate_external_id"
      | "duplicate_barcode_data"
      | "plan_limit",
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function expiryFor(design: TemplateDesign, now: Date): string | null {
  if (design.expires_at) return new Date(design.expires_at).toISOString();
  if (design.expires_after_days) return new Date(now.getTime() + design.expires_after_days * 86_400_000).toISOString();
  return null;
}

/** Checks one item against its template and builds the row; throws IssueError. */
function preparePass(principal: Principal, template: TemplateRow | undefined, input: IssueInput, now: Date): NewPass {
  if (!template) throw new IssueError("template_not_found", `Template ${input.template_id} does not exist`, "template_id");
  if (template.status !== "active")
    throw new IssueError("template_archived", `Template ${template.id} is archived and issues no new passes`, "template_id");
  const design = template.design;
  const can = TYPE_CAPABILITIES[template.type];
  if (input.initial_balance !== undefined && !can.balance) {
    throw new IssueError(
      "validation_error",
      `initial_balance applies to gift cards; template ${template.id} is ${withArticle(template.type).toLowerCase()}`,
      "initial_balance",
    );
  }
  if (input.points !== undefined && !can.points) {
    throw new IssueError(
      "validation_error",
      `points apply to loyalty and membership passes; template ${template.id} is ${withArticle(template.type).toLowerCase()}`,
      "points",
    );
  }
  let balanceMinor: number | null = null;
  if (can.balance) {
    try {
      balanceMinor = toMinorUnits(input.initial_balance ?? 0, design.currency!, "initial_balance");
    } catch (error) {
      throw new IssueError("validation_error", (error as Error).message, "initial_balance");
    }
    if (balanceMinor > COUNTER_MAX.balance) {
      throw new IssueError("validation_error", pastMaximum("balance", design.currency).message, "initial_balance");
    }
  }
  const iso = now.toISOString();
  return {
    id: newId("pass", now.getTime()),
    businessId: principal.businessId,
    mode: principal.mode,
    templateId: template.id,
    serialNumber: newSerialNumber(principal.serialPrefix),
    externalId: input.external_id ?? null,
    customerName: input.customer_name ?? null,
    customerEmail: input.customer_email ?? null,
    points: input.points ?? 0,
    balanceMinor,
    currency: can.balance ? design.currency : null,
    barcodeData: input.barcode_data ?? null,
    nfcData: input.nfc_data ?? null,
    metadata: input.metadata ?? {},
    downloadToken: randomToken(20),
    authToken: randomToken(24),
    expiresAt: expiryFor(design, now),
    now: iso,
  };
}

/** The statements that issue one pass: the insert, its opening ledger rows and `pass.created`. */
function addIssue(tenant: Tenant, batch: ReturnType<Tenant["batch"]>, pass: NewPass, liveLimit: number): StatementResult {
  const inserted = batch.add(insertPass(tenant.db, pass, liveLimit));
  batch.add(insertOpeningLedger(tenant.db, newId("led"), pass.id, "balance", pass.now));
  batch.add(insertOpeningLedger(tenant.db, newId("led"), pass.id, "points", pass.now));
  batch.addEvent(
    insertPassEvent(tenant.db, { id: newId("evt"), passId: pass.id, type: "pass.created", change: {}, now: pass.now, afterChange: false }),
  );
  return inserted;
}

/** Live passes with an email are findable across businesses (customer access): index them first, so the index is never behind. */
async function indexEmails(tenant: Tenant, principal: Principal, passes: NewPass[]): Promise<void> {
  if (principal.mode !== "live") return;
  const emails = [...new Set(passes.flatMap((p) => (p.customerEmail ? [p.customerEmail] : [])))];
  if (emails.length === 0) return;
  const hashes = await Promise.all(emails.map(customerEmailHash));
  await runBatch(tenant.control, indexCustomerEmails(tenant.control, principal.businessId, hashes));
}

export type IssueOutcome = { ok: true; row: PassRow } | { ok: false; error: IssueError };

/**
 * Issues passes, each independently: items that fail validation are reported, the rest are
 * written in one D1 batch (four statements each). A pass the database refused (plan limit,
 * a concurrent duplicate external_id, a serial collision) is diagnosed and reported too.
 */
export async function issuePasses(tenant: Tenant, principal: Principal, inputs: IssueInput[]): Promise<IssueOutcome[]> {
  const now = new Date();
  const templateIds = [...new Set(inputs.map((i) => i.template_id))];
  const templates = new Map<string, TemplateRow | undefined>();
  for (const id of templateIds) templates.set(id, await findTemplate(tenant.db, principal.businessId, principal.mode, id));

  const externalIds = inputs.flatMap((i) => (i.external_id ? [i.external_id] : []));
  const taken = new Set<string>();
  for (const part of chunk([...new Set(externalIds)], 90)) {
    for (const row of await findExternalIds(tenant.db, principal.businessId, principal.mode, part)) taken.add(row.external_id);
  }

  const barcodes = inputs.flatMap((i) => (i.barcode_data ? [i.barcode_data] : []));
  const takenBarcodes = new Set<string>();
  for (const part of chunk([...new Set(barcodes)], 90)) {
    for (const row of await findBarcodeDataTaken(tenant.db, principal.businessId, principal.mode, part))
      takenBarcodes.add(row.barcode_data);
  }

  const outcomes: IssueOutcome[] = new Array(inputs.length);
  const prepared: Array<{ index: number; pass: NewPass }> = [];
  inputs.forEach((input, index) => {
    try {
      if (input.external_id && taken.has(input.external_id)) {
        throw new IssueError("duplicate_external_id", `external_id ${input.external_id} already exists`, "external_id");
      }
      if (input.barcode_data && takenBarcodes.has(input.barcode_data)) throw barcodeTaken(input.barcode_data);
      const pass = preparePass(principal, templates.get(input.template_id), input, now);
      if (input.external_id) taken.add(input.external_id);
      if (input.barcode_data) takenBarcodes.add(input.barcode_data);
      prepared.push({ index, pass });
    } catch (error) {
      if (!(error instanceof IssueError)) throw error;
      outcomes[index] = { ok: false, error };
    }
  });

  const liveLimit = PLANS[principal.plan].limits.issued_passes;
  await indexEmails(
    tenant,
    principal,
    prepared.map((p) => p.pass),
  );
  const batch = tenant.batch();
  const inserts = prepared.map(({ index, pass }) => ({ index, pass, inserted: addIssue(tenant, batch, pass, liveLimit) }));
  await batch.run();
  const refused: Array<{ index: number; pass: NewPass }> = [];
  for (const { index, pass, inserted } of inserts) {
    const row = inserted.first<PassRow>();
    if (row) outcomes[index] = { ok: true, row };
    else refused.push({ index, pass });
  }
  for (const { index, pass } of refused) outcomes[index] = await diagnoseRefusal(tenant, principal, pass, inputs[index]!);
  return outcomes;
}

/** A scanned barcode_data must name one pass, so no two passes of a business and mode share one. */
const barcodeTaken = (value: string) =>
  new IssueError("duplicate_barcode_data", `barcode_data ${value} is already used by another pass`, "barcode_data");

/** The database refused a pass: a concurrent duplicate, the plan limit, or (rarely) a serial collision, retried. */
async function diagnoseRefusal(tenant: Tenant, principal: Principal, pass: NewPass, input: IssueInput): Promise<IssueOutcome> {
  if (pass.externalId && (await findExternalIds(tenant.db, principal.businessId, principal.mode, [pass.externalId])).length > 0) {
    return { ok: false, error: new IssueError("duplicate_external_id", `external_id ${pass.externalId} already exists`, "external_id") };
  }
  if (pass.barcodeData && (await findBarcodeDataTaken(tenant.db, principal.businessId, principal.mode, [pass.barcodeData])).length > 0) {
    return { ok: false, error: barcodeTaken(pass.barcodeData) };
  }
  const limit = PLANS[principal.plan].limits.issued_passes;
  if (
    principal.mode === "live" &&
    Number.isFinite(limit) &&
    ((await countLivePassesUpTo(tenant.db, principal.businessId, limit))?.n ?? 0) >= limit
  ) {
    return { ok: false, error: new IssueError("plan_limit", limitReached(principal.plan, "issued_passes").message) };
  }
  const [retried] = await issuePasses(tenant, principal, [input]);
  return retried!;
}

/** One pass, with the single-object API's errors: 404 template, 409 duplicate, 402 plan limit, 422 fields. */
export async function issuePass(tenant: Tenant, principal: Principal, input: IssueInput): Promise<PassRow> {
  const [outcome] = await issuePasses(tenant, principal, [input]);
  if (outcome!.ok) return outcome!.row;
  const { error } = outcome!;
  switch (error.code) {
    case "template_not_found":
      throw new ApiError("not_found", error.message);
    case "template_archived":
    case "duplicate_external_id":
    case "duplicate_barcode_data":
      throw new ApiError("conflict", error.message);
    case "plan_limit":
      throw limitReached(principal.plan, "issued_passes");
    case "validation_error":
      throw new ApiError("validation_error", error.message, { fields: [{ path: error.field ?? "body", message: error.message }] });
  }
}

export function assertBulkAllowed(principal: Principal): void {
  assertFeature(principal.plan, "bulk_operations");
}
