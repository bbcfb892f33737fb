import type { BusinessRow } from "../db/businesses";
import type { PassRow } from "../db/passes";
import type { TemplateRow } from "../db/templates";
import { formatMoney, toMajorUnits } from "../domain/money";
import { effectiveStatus } from "../domain/passes/present";
import { FIELD_AREAS, type FieldSpec, type FieldValue, type TemplateDesign } from "../domain/templates/design";

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
  /** What the field shows, as the template says. */
  shows: FieldValue;
  value: string | number;
  /** Set on counters: a wallet announces the new value when it changes. */
  changeMessage?: string;
  /** An amount: `value` is in major units of `currency`. */
  money?: { minor: number; currency: string };
  /**
   * A date and time: `value` is W3C text (no fractions of a second) for wallets to format.
   * `local`: shown as the time where it happens (the offset it carries), not in the viewer's time zone.
   */
  date?: { withTime: boolean; local: boolean };
}

const CHANGE_MESSAGES: Partial<Record<FieldValue, string>> = {
  stamps: "You now have %@ stamps",
  points: "You now have %@ points",
  balance: "Your balance is now %@",
};

/** ISO 8601 as Apple's W3C timestamps want it: whole seconds, the offset kept ("…20:00:00.000+01:00" → "…20:00:00+01:00"). */
export const w3cDateTime = (iso: string) => iso.replace(/\.\d+(?=Z$|[+-]\d{2}:\d{2}$)/, "");

type FieldContent = Pick<ResolvedField, "value" | "money" | "date">;

function fieldContent(ctx: PassContext, spec: FieldSpec): FieldContent {
  const { pass, design } = ctx;
  switch (spec.value) {
    case "stamps":
      return { value: design.stamp_goal ? `${pass.stamps}/${design.stamp_goal}` : pass.stamps };
    case "points":
      return { value: pass.points };
    case "balance":
      return pass.balance_minor !== null && pass.currency
        ? { value: toMajorUnits(pass.balance_minor, pass.currency), money: { minor: pass.balance_minor, currency: pass.currency } }
        : { value: 0 };
    case "customer_name":
      return { value: pass.customer_name ?? "" };
    case "serial_number":
      return { value: pass.serial_number };
    case "expires_at":
      return pass.expires_at ? { value: w3cDateTime(pass.expires_at), date: { withTime: false, local: false } } : { value: "Never" };
    case "event_name":
      return { value: design.event.name ?? ctx.template.name };
    case "event_venue":
      return { value: design.event.venue ?? "" };
    case "event_starts_at":
      // The time at the venue is what a ticket holder needs, wherever their phone is.
      return design.event.starts_at ? { value: w3cDateTime(design.event.starts_at), date: { withTime: true, local: true } } : { value: "" };
    case "metadata": {
      const value = (JSON.parse(pass.metadata) as Record<string, unknown>)[spec.metadata_key ?? ""];
      return { value: typeof value === "number" ? value : value === undefined || value === null ? "" : String(value) };
    }
    case "static":
      return { value: spec.text ?? "" };
  }
}

export function resolveFields(ctx: PassContext): Record<(typeof FIELD_AREAS)[number], ResolvedField[]> {
  const out = {} as Record<(typeof FIELD_AREAS)[number], ResolvedField[]>;
  for (const area of FIELD_AREAS) {
    out[area] = ctx.design.fields[area].map((spec) => ({
      key: spec.key,
      label: spec.label,
      shows: spec.value,
      ...fieldContent(ctx, spec),
      ...(CHANGE_MESSAGES[spec.value] ? { changeMessage: CHANGE_MESSAGES[spec.value] } : {}),
    }));
  }
  return out;
}

/**
 * A field as people read it where no wallet formats it (the pass page, Google's texts): amounts in
 * their currency ("£70.00"), dates in English, local times at their own offset and other dates in
 * `timeZone` (the business's).
 */
export function displayValue(field: ResolvedField, timeZone: string): string {
  if (field.money) return formatMoney(field.money.minor, field.money.currency);
  if (!field.date) return String(field.value);
  const text = String(field.value);
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", ...(field.date.withTime ? { timeStyle: "short" } : {}) };
  if (field.date.local) {
    // The wall-clock time the text names: shift by its offset and read it as UTC.
    const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
    const minutes = offset ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(Date.parse(text) + minutes * 60_000);
  }
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: validTimeZone(timeZone) }).format(Date.parse(text));
}

function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
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
