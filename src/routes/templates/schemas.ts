import { z } from "@hono/zod-openapi";
import { BARCODE_FORMATS, MODES, TEMPLATE_TYPES } from "../../domain/enums";
import { CURRENCY_PATTERN } from "../../domain/money";
import { FIELD_AREAS, FIELD_VALUES, IMAGE_SLOTS } from "../../domain/templates/design";
import { Currency, HexColor } from "../businesses/schemas";

const Field = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "Keys are 1–40 letters, digits, _ . or -"),
    label: z.string().max(40).nullable().default(null),
    value: z.enum(FIELD_VALUES).openapi({ description: "Which pass value the field shows" }),
    metadata_key: z.string().max(100).optional(),
    text: z.string().max(500).optional(),
  })
  .openapi("TemplateField");

const Fields = z.object(
  Object.fromEntries(FIELD_AREAS.map((area) => [area, z.array(Field).max(area === "back" ? 20 : 4)])) as Record<
    (typeof FIELD_AREAS)[number],
    z.ZodArray<typeof Field>
  >,
);

const Cooldown = z
  .union([z.literal(0), z.number().int().min(60).max(86_400)], {
    error: "cooldown_seconds must be null, 0 (one-time) or 60–86400",
  })
  .nullable()
  .openapi({ description: "null: no cooldown; 0: one check-in ever; 60–86400: seconds between check-ins" });

const IsoDateTime = z.iso.datetime({ offset: true });

const DesignFields = {
  organization_name: z.string().max(100).nullable(),
  description: z.string().max(200).nullable(),
  colors: z.object({ background: HexColor.nullable(), foreground: HexColor.nullable(), label: HexColor.nullable() }).partial(),
  fields: Fields.partial(),
  stamp_goal: z.number().int().min(1).max(100).nullable(),
  currency: Currency.nullable(),
  event: z
    .object({ name: z.string().max(100).nullable(), venue: z.string().max(100).nullable(), starts_at: IsoDateTime.nullable() })
    .partial(),
  expires_at: IsoDateTime.nullable().openapi({ description: "Every pass expires at this time" }),
  expires_after_days: z.number().int().min(1).max(3650).nullable().openapi({ description: "Each pass expires this many days after issue" }),
  barcode_format: z.enum(BARCODE_FORMATS),
  nfc_message: z.string().max(256).nullable().openapi({ description: "At most 64 bytes of UTF-8 (Apple's NFC limit)" }),
  scan_security: z
    .object({
      signed_barcodes: z.boolean(),
      cooldown_seconds: Cooldown,
      auto_stamp: z.boolean(),
    })
    .partial(),
  email_on_issue: z.boolean().openapi({
    description:
      'Mail each pass issued with a `customer_email` to its holder: "Your card from {business}", with the Add to Apple Wallet and Google Wallet links. Live passes only.',
  }),
};

export const CreateTemplateBody = z
  .object({ name: z.string().trim().min(1).max(100), type: z.enum(TEMPLATE_TYPES), ...DesignFields })
  .partial()
  .required({ name: true, type: true })
  .strict()
  .openapi("CreateTemplateRequest");

export const UpdateTemplateBody = z
  .object({ name: z.string().trim().min(1).max(100), ...DesignFields })
  .partial()
  .strict()
  .openapi("UpdateTemplateRequest");

export const TemplateSchema = z
  .object({
    id: z.string().openapi({ example: "tpl_06h1460753etx8qzseczcxd4vc" }),
    name: z.string(),
    type: z.enum(TEMPLATE_TYPES),
    status: z.enum(["active", "archived", "deleted"]),
    mode: z.enum(MODES),
    organization_name: z.string().nullable(),
    description: z.string().nullable(),
    colors: z.object({ background: z.string().nullable(), foreground: z.string().nullable(), label: z.string().nullable() }),
    fields: z.object(Object.fromEntries(FIELD_AREAS.map((a) => [a, z.array(Field)]))),
    stamp_goal: z.number().nullable(),
    currency: z.string().regex(CURRENCY_PATTERN).nullable(),
    event: z.object({ name: z.string().nullable(), venue: z.string().nullable(), starts_at: z.string().nullable() }),
    expires_at: z.string().nullable(),
    expires_after_days: z.number().nullable(),
    barcode_format: z.enum(BARCODE_FORMATS),
    nfc_message: z.string().nullable(),
    scan_security: z.object({ signed_barcodes: z.boolean(), cooldown_seconds: Cooldown, auto_stamp: z.boolean() }),
    email_on_issue: z.boolean(),
    images: z.object(Object.fromEntries(IMAGE_SLOTS.map((s) => [s, z.string().nullable()]))),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Template");

export const PageQuery = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() }).openapi(name);
