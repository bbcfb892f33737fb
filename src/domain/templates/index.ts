import { findBusiness } from "../../db/businesses";
import { insertBusinessEvent } from "../../db/events";
import {
  deleteOrArchiveTemplate,
  findTemplate,
  insertTemplateWithinLimit,
  listTemplates,
  returnedTemplate,
  type TemplateRow,
  updateTemplate,
} from "../../db/templates";
import type { Tenant } from "../../db/tenant";
import { ApiError, assertSomethingToUpdate } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { toPage } from "../../lib/pagination";
import type { Principal } from "../../types";
import { nfcMessageProblem } from "../../wallet/apple/nfc";
import type { TemplateType } from "../enums";
import { limitReached, PLANS } from "../plans";
import { defaultDesign, type FieldSpec, IMAGE_SLOTS, type TemplateDesign, TYPE_CAPABILITIES } from "./design";
import { imageVersion, renditionsOf, templateImageUrl } from "./image-renditions";

export type DesignInput = Partial<Omit<TemplateDesign, "images" | "colors" | "event" | "scan_security" | "fields">> & {
  colors?: Partial<TemplateDesign["colors"]>;
  event?: Partial<TemplateDesign["event"]>;
  scan_security?: Partial<TemplateDesign["scan_security"]>;
  fields?: Partial<TemplateDesign["fields"]>;
};

export interface Template {
  row: TemplateRow;
  design: TemplateDesign;
}

export function presentTemplate(template: TemplateRow, origin: string, status: "active" | "archived" | "deleted" = template.status) {
  const { images, ...design } = template.design;
  // Each slot's largest file: Apple's @3x, or Google's version when the pass style shows no such image.
  const imageUrls = Object.fromEntries(
    IMAGE_SLOTS.map((slot) => {
      const image = images[slot];
      const file = image && renditionsOf(slot, template.type)[0]?.file;
      return [slot, image && file ? templateImageUrl(origin, template.id, file, imageVersion(image)) : null];
    }),
  );
  return {
    id: template.id,
    name: template.name,
    type: template.type,
    status,
    mode: template.mode,
    ...design,
    images: imageUrls,
    created_at: template.createdAt,
    updated_at: template.updatedAt,
  };
}

function invalid(path: string, message: string): never {
  throw new ApiError("validation_error", message, { fields: [{ path, message }] });
}

/** The rules that cross fields: what a template of this type may carry. */
function checkDesign(type: TemplateType, design: TemplateDesign): void {
  const can = TYPE_CAPABILITIES[type];
  if (design.stamp_goal !== null && !can.stamps) invalid("stamp_goal", `A ${type} template has no stamps`);
  if (design.currency !== null && !can.balance) invalid("currency", `A ${type} template holds no balance, so it takes no currency`);
  if (can.balance && design.currency === null) invalid("currency", "A gift card needs a currency");
  const hasEvent = Object.values(design.event).some((v) => v !== null);
  if (hasEvent && type !== "event_ticket") invalid("event", "Only event tickets have event details");
  if (design.expires_at !== null && design.expires_after_days !== null) {
    invalid("expires_after_days", "Give expires_at or expires_after_days, not both");
  }
  const nfcProblem = design.nfc_message === null ? null : nfcMessageProblem(design.nfc_message);
  if (nfcProblem) invalid("nfc_message", nfcProblem);
  // Apple refuses a pass whose field keys repeat anywhere on it, not only within one area.
  const areaOfKey = new Map<string, string>();
  for (const [area, fields] of Object.entries(design.fields) as Array<[string, FieldSpec[]]>) {
    fields.forEach((f, i) => {
      const path = `fields.${area}.${i}`;
      const taken = areaOfKey.get(f.key);
      if (taken) invalid(`${path}.key`, `Field key ${f.key} is already used in ${taken}: keys must be unique across the pass`);
      areaOfKey.set(f.key, area);
      if (f.value === "stamps" && !can.stamps) invalid(`${path}.value`, `A ${type} template has no stamps to show`);
      if (f.value === "points" && !can.points) invalid(`${path}.value`, `A ${type} template has no points to show`);
      if (f.value === "balance" && !can.balance) invalid(`${path}.value`, `A ${type} template has no balance to show`);
      if (f.value === "metadata" && !f.metadata_key) invalid(`${path}.metadata_key`, "A metadata field needs metadata_key");
      if (f.value === "static" && f.text === undefined) invalid(`${path}.text`, "A static field needs text");
    });
  }
}

function applyDesign(base: TemplateDesign, input: DesignInput): TemplateDesign {
  return {
    ...base,
    ...input,
    colors: { ...base.colors, ...input.colors },
    event: { ...base.event, ...input.event },
    scan_security: { ...base.scan_security, ...input.scan_security },
    fields: { ...base.fields, ...input.fields },
    images: base.images,
  } as TemplateDesign;
}

export async function createTemplate(
  tenant: Tenant,
  principal: Principal,
  origin: string,
  input: DesignInput & { name: string; type: TemplateType },
) {
  const business = await findBusiness(tenant.control, principal.businessId);
  if (!business) throw new ApiError("not_found", "Business not found");
  const { name, type, ...designInput } = input;
  const design = applyDesign(defaultDesign(type, business, input.stamp_goal ?? null), designInput);
  checkDesign(type, design);

  const now = new Date().toISOString();
  const row = { id: newId("tpl"), businessId: principal.businessId, mode: principal.mode, name, type, design, updatedAt: now };
  const created = await insertTemplateWithinLimit(tenant.db, row, PLANS[principal.plan].limits.templates);
  if (!created) throw limitReached(principal.plan, "templates");
  return presentTemplate(created, origin);
}

export async function loadTemplate(tenant: Tenant, principal: Principal, id: string): Promise<Template> {
  const row = await findTemplate(tenant.db, principal.businessId, principal.mode, id);
  if (!row) throw new ApiError("not_found", `Template ${id} does not exist`);
  return { row, design: row.design };
}

export async function listTemplatePage(tenant: Tenant, principal: Principal, origin: string, page: { cursor?: string; limit: number }) {
  const rows = await listTemplates(tenant.db, principal.businessId, principal.mode, page);
  return toPage(
    rows,
    page.limit,
    (row) => presentTemplate(row, origin),
    (row) => row.id,
  );
}

export async function changeTemplate(
  tenant: Tenant,
  principal: Principal,
  origin: string,
  id: string,
  input: DesignInput & { name?: string },
) {
  assertSomethingToUpdate(input);
  const { row, design } = await loadTemplate(tenant, principal, id);
  const { name, ...designInput } = input;
  const next = applyDesign(design, designInput);
  checkDesign(row.type, next);
  const updated = await saveTemplate(tenant, principal, id, { ...(name ? { name } : {}), design: next }, { fields: Object.keys(input) });
  return presentTemplate(updated, origin);
}

/**
 * Writes a template change with its `template.updated` event, in one batch: the event's fan-out
 * re-renders every pass of the template and pushes it to the phones holding it.
 */
export async function saveTemplate(
  tenant: Tenant,
  principal: Principal,
  id: string,
  changes: Parameters<typeof updateTemplate>[2],
  change: Record<string, unknown>,
): Promise<TemplateRow> {
  const now = new Date().toISOString();
  const batch = tenant.batch();
  const updated = batch.add(updateTemplate(tenant.db, id, changes, now));
  batch.addEvent(
    insertBusinessEvent(tenant.db, {
      id: newId("evt"),
      businessId: principal.businessId,
      mode: principal.mode,
      type: "template.updated",
      templateId: id,
      change,
      now,
    }),
  );
  await batch.run();
  return returnedTemplate(updated.rows())!;
}

/** A template with passes is archived (its passes keep working); one without is deleted. */
export async function removeTemplate(tenant: Tenant, principal: Principal, origin: string, id: string) {
  const { row } = await loadTemplate(tenant, principal, id);
  const outcome = await deleteOrArchiveTemplate(tenant.db, id, new Date().toISOString());
  return presentTemplate(row, origin, outcome);
}
