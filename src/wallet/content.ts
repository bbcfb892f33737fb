import type { BusinessRow } from "../db/businesses";
import type { PassRow } from "../db/passes";
import type { TemplateRow } from "../db/templates";
import { toMajorUnits } from "../domain/money";
import { effectiveStatus } from "../domain/passes/present";
import { FIELD_AREAS, type FieldSpec, type TemplateDesign } from "../domain/templates/design";

/** What every pass of a template shares: its business and its template. */
export interface TemplateContext {
  business: BusinessRow;
  template: TemplateRow;
  design: TemplateDesign;
}

/** Everything a wallet needs to render one pass, resolved from business, template and pass. */
export interface PassContext extends TemplateContext {
  pass: PassRow;
}

export interface ResolvedField {
  key: string;
  label: string | null;
  value: string | number;
  /** Set on counters: a wallet announces the new value when it changes. */
  changeMessage?: string;
  currencyCode?: string;
}

const CHANGE_MESSAGES: Partial<Record<FieldSpec["value"], string>> = {
  stamps: "You now have %@ stamps",
  points: "You now have %@ points",
  balance: "Your balance is now %@",
};

function fieldValue(ctx: PassContext, spec: FieldSpec): string | number {
  const { pass, design } = ctx;
  switch (spec.value) {
    case "stamps":
      return design.stamp_goal ? `${pass.stamps}/${design.stamp_goal}` : pass.stamps;
    case "points":
      return pass.points;
    case "balance":
      return pass.balance_minor !== null && pass.currency ? toMajorUnits(pass.balance_minor, pass.currency) : 0;
    case "customer_name":
      return pass.customer_name ?? "";
    case "serial_number":
      return pass.serial_number;
    case "expires_at":
      return pass.expires_at ? pass.expires_at.slice(0, 10) : "Never";
    case "event_name":
      return design.event.name ?? ctx.template.name;
    case "event_venue":
      return design.event.venue ?? "";
    case "event_starts_at":
      return design.event.starts_at ?? "";
    case "metadata": {
      const value = (JSON.parse(pass.metadata) as Record<string, unknown>)[spec.metadata_key ?? ""];
      return typeof value === "number" ? value : value === undefined || value === null ? "" : String(value);
    }
    case "static":
      return spec.text ?? "";
  }
}

export function resolveFields(ctx: PassContext): Record<(typeof FIELD_AREAS)[number], ResolvedField[]> {
  const out = {} as Record<(typeof FIELD_AREAS)[number], ResolvedField[]>;
  for (const area of FIELD_AREAS) {
    out[area] = ctx.design.fields[area].map((spec) => ({
      key: spec.key,
      label: spec.label,
      value: fieldValue(ctx, spec),
      ...(CHANGE_MESSAGES[spec.value] ? { changeMessage: CHANGE_MESSAGES[spec.value] } : {}),
      ...(spec.value === "balance" && ctx.pass.currency ? { currencyCode: ctx.pass.currency } : {}),
    }));
  }
  return out;
}

export const passStatus = (ctx: PassContext) => effectiveStatus(ctx.pass);
export const organizationName = (ctx: TemplateContext) => ctx.design.organization_name ?? ctx.business.name;
export const passDescription = (ctx: TemplateContext) => ctx.design.description ?? ctx.template.name;
export const brandColor = (ctx: TemplateContext, which: "background" | "foreground" | "label") =>
  ctx.design.colors[which] ??
  (which === "background"
    ? ctx.business.brandBackground
    : which === "foreground"
      ? ctx.business.brandForeground
      : ctx.business.brandLabel) ??
  undefined;
