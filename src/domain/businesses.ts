import { activeKeyHashes } from "../db/api-keys";
import { type BusinessChanges, type BusinessRow, findBusiness, toBusinessRow, updateBusiness } from "../db/businesses";
import type { Database } from "../db/client";
import { insertBusinessEvent } from "../db/events";
import { memberUserIds } from "../db/memberships";
import type { Tenant } from "../db/tenant";
import { ApiError, assertSomethingToUpdate } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Plan, Principal } from "../types";
import type { GrantCache } from "./auth/grants";

export function presentBusiness(row: BusinessRow) {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    timezone: row.timezone,
    currency: row.currency,
    brand_colors: { background: row.brandBackground, foreground: row.brandForeground, label: row.brandLabel },
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export async function getBusiness(db: Database, id: string) {
  const row = await findBusiness(db, id);
  if (!row) throw new ApiError("not_found", `Business ${id} does not exist`);
  return presentBusiness(row);
}

export interface BusinessSettings {
  name?: string;
  timezone?: string;
  currency?: string;
  brand_colors?: { background?: string | null; foreground?: string | null; label?: string | null };
}

/** Changing these changes how every pass of the business looks. */
const LOOK_FIELDS: Array<keyof BusinessChanges> = ["name", "brandBackground", "brandForeground", "brandLabel"];

/**
 * Saves settings; when they change how passes look, the same batch writes `business.updated` to
 * the control database's outbox (`controlShard`), whose fan-out re-renders every pass.
 */
export async function updateBusinessSettings(controlShard: Tenant, grants: GrantCache, principal: Principal, settings: BusinessSettings) {
  const changes: BusinessChanges = {};
  if (settings.name !== undefined) changes.name = settings.name;
  if (settings.timezone !== undefined) changes.timezone = settings.timezone;
  if (settings.currency !== undefined) changes.currency = settings.currency;
  const colors = settings.brand_colors;
  if (colors?.background !== undefined) changes.brandBackground = colors.background;
  if (colors?.foreground !== undefined) changes.brandForeground = colors.foreground;
  if (colors?.label !== undefined) changes.brandLabel = colors.label;
  assertSomethingToUpdate(changes);

  const now = new Date().toISOString();
  const batch = controlShard.batch();
  const updated = batch.add(updateBusiness(controlShard.db, principal.businessId, changes, now));
  const lookChanged = LOOK_FIELDS.filter((field) => field in changes);
  if (lookChanged.length > 0) {
    const change = { fields: lookChanged };
    batch.addEvent(
      insertBusinessEvent(controlShard.db, {
        id: newId("evt"),
        businessId: principal.businessId,
        mode: "live",
        type: "business.updated",
        templateId: null,
        change,
        now,
      }),
    );
  }
  await batch.run();
  const row = updated.first<Record<string, unknown>>();
  if (!row) throw new ApiError("not_found", `Business ${principal.businessId} does not exist`);
  // Grants carry the timezone that scan messages are worded in.
  if (changes.timezone !== undefined) await forgetBusinessGrants(controlShard.db, grants, principal.businessId);
  return presentBusiness(toBusinessRow(row));
}

/** Changes the plan; every key and member of the business is told. */
export async function setBusinessPlan(db: Database, grants: GrantCache, id: string, plan: Plan) {
  const row = await updateBusiness(db, id, { plan }, new Date().toISOString()).first<Record<string, unknown>>();
  if (!row) throw new ApiError("not_found", `Business ${id} does not exist`);
  await forgetBusinessGrants(db, grants, id);
  return presentBusiness(toBusinessRow(row));
}

/** Every key and member of the business is re-read on its next request. */
async function forgetBusinessGrants(db: Database, grants: GrantCache, businessId: string) {
  const [keyHashes, userIds] = await Promise.all([activeKeyHashes(db, businessId), memberUserIds(db, businessId)]);
  await grants.forget({ keyHashes, userIds });
}
