import { findBusiness } from "../db/businesses";
import type { DataContext } from "../db/data-context";
import { findPassBySerial, type PassRow } from "../db/passes";
import { locateSerial } from "../db/shards";
import { findTemplateById } from "../db/templates";
import type { Tenant } from "../db/tenant";
import type { PassContext } from "./content";

/** Loads business (control database), template and pass (its shard) for rendering. */
export async function loadPassContext(tenant: Tenant, pass: PassRow): Promise<PassContext | undefined> {
  const [business, template] = await Promise.all([
    findBusiness(tenant.control, pass.business_id),
    findTemplateById(tenant.db, pass.template_id),
  ]);
  if (!business || !template) return undefined;
  return { business, template, design: template.design, pass };
}

/**
 * A pass found from its serial alone — what wallet links, the PassKit web service and Google
 * callbacks carry — with the tenant whose shard holds it.
 */
export async function findPassBySerialAnywhere(data: DataContext, serial: string): Promise<{ tenant: Tenant; pass: PassRow } | undefined> {
  const location = await locateSerial(data.control, serial);
  if (!location) return undefined;
  const tenant = data.tenant(location.shard);
  const pass = await findPassBySerial(tenant.db, serial);
  if (!pass || (location.businessId !== null && pass.business_id !== location.businessId)) return undefined;
  return { tenant, pass };
}

export async function loadPassContextBySerial(data: DataContext, serial: string): Promise<PassContext | undefined> {
  const found = await findPassBySerialAnywhere(data, serial);
  return found && loadPassContext(found.tenant, found.pass);
}
