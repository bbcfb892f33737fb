import { z } from "@hono/zod-openapi";
import { PLAN_NAMES } from "../../domain/enums";
import { CURRENCY_PATTERN, isCurrency } from "../../domain/money";

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Expected a colour like #1a2b3c");
const TimeZone = z.string().refine(isTimeZone, "Expected an IANA time zone such as Europe/London").openapi({ example: "Europe/London" });
/** An active ISO 4217 code: the pattern is what a schema can state, the list is checked too. */
export const Currency = z
  .string()
  .regex(CURRENCY_PATTERN, "Expected an ISO 4217 currency code such as GBP")
  .refine(isCurrency, "Expected an active ISO 4217 currency code such as GBP")
  .openapi({ example: "GBP", description: "Active ISO 4217 code" });

const BrandColors = z.object({
  background: HexColor.nullable(),
  foreground: HexColor.nullable(),
  label: HexColor.nullable(),
});

export const BusinessSchema = z
  .object({
    id: z.string().openapi({ example: "biz_01jd5x3m7k0000000000000000" }),
    name: z.string(),
    plan: z.enum(PLAN_NAMES),
    timezone: TimeZone,
    currency: Currency,
    brand_colors: BrandColors,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Business");

export const UpdateBusinessBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    timezone: TimeZone.optional(),
    currency: Currency.optional(),
    brand_colors: BrandColors.partial().optional(),
  })
  .strict()
  .openapi("UpdateBusinessRequest");
