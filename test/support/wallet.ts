import { env } from "cloudflare:test";
import { DataContext } from "../../src/db/data-context";
import type { PassContext } from "../../src/wallet/content";
import { loadPassContextBySerial } from "../../src/wallet/context";
import { businessWithTemplates, createTemplate, issue } from "./api";

/** What the wallets render for a pass: business, template and pass, found from the serial as wallets find it. */
export async function passContextOf(serial: string): Promise<PassContext> {
  const ctx = await loadPassContextBySerial(new DataContext(env), serial);
  if (!ctx) throw new Error(`no pass ${serial}`);
  return ctx;
}

/** A new pass of a new template, as the wallets see it. */
export async function passContextFor(templateBody: Record<string, unknown>, passBody: Record<string, unknown> = {}) {
  const { businessId, liveKey } = await businessWithTemplates();
  const tpl = await createTemplate(businessId, liveKey, templateBody);
  const pass = await issue(businessId, liveKey, { template_id: tpl.id, ...passBody });
  return passContextOf(pass.serial_number);
}
