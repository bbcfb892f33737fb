import { type BusinessChanges, type BusinessRow, findBusiness, updateBusiness } from "../db/businesses";
import type { Database } from "../db/client";
import { ApiError } from "../lib/errors";
import type { Plan } from "../types";

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

export async function updateBusinessSettings(db: Database, id: string, settings: BusinessSettings) {
  const changes: BusinessChanges = {};
  if (settings.name !== undefined) changes.name = settings.name;
  if (settings.timezone !== undefined) changes.timezone = settings.timezone;
  if (settings.currency !== undefined) changes.currency = settings.currency;
  const colors = settings.brand_colors;
  if (colors?.background !== undefined) changes.brandBackground = colors.background;
  if (colors?.foreground !== undefined) changes.brandForeground = colors.foreground;
  if (colors?.label !== undefined) changes.brandLabel = colors.label;
  const row = await updateBusiness(db, id, changes);
  if (!row) throw new ApiError("not_found", `Business ${id} does not exist`);
  return presentBusiness(row);
}

export async function setBusinessPlan(db: Database, id: string, plan: Plan) {
  const row = await updateBusiness(db, id, { plan });
  if (!row) throw new ApiError("not_found", `Business ${id} does not exist`);
  return presentBusiness(row);
}
