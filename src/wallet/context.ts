import { findBusiness } from "../db/businesses";
import type { Database } from "../db/client";
import { findPassBySerial, type PassRow } from "../db/passes";
import { findTemplateById } from "../db/templates";
import type { PassContext } from "./content";

/** Loads business, template and pass for rendering; undefined when the pass does not exist. */
export async function loadPassContext(db: Database, pass: PassRow | undefined): Promise<PassContext | undefined> {
  if (!pass) return undefined;
  const [business, template] = await Promise.all([findBusiness(db, pass.business_id), findTemplateById(db, pass.template_id)]);
  if (!business || !template) return undefined;
  return { business, template, design: template.design, pass };
}

export async function loadPassContextBySerial(db: Database, serial: string) {
  return loadPassContext(db, await findPassBySerial(db, serial));
}
