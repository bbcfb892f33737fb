import { z } from "@hono/zod-openapi";
import { PASS_STATUSES } from "../../domain/enums";

const MetadataValue = z.union([z.string().max(500), z.number(), z.boolean()]);
const maxKeys = (record: Record<string, unknown>) => Object.keys(record).length <= 50;
const Metadata = z.record(z.string().min(1).max(40), MetadataValue).refine(maxKeys, "At most 50 metadata keys");
const MetadataPatch = z
  .record(z.string().min(1).max(40), MetadataValue.nullable())
  .refine(maxKeys, "At most 50 metadata keys")
  .openapi({ description: "Merged into the pass's metadata; a key set to null is removed" });

const Amount = z.number().nonnegative().finite();
const Email = z.email().max(254);
const ExternalId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\s]+$/, "external_id may not contain spaces or slashes");

export const IssuePassBody = z
  .object({
    template_id: z.string().min(1).openapi({ example: "tpl_06h1460753etx8qzseczcxd4vc" }),
    customer_name: z.string().trim().min(1).max(200).optional().openapi({ example: "Jane Doe" }),
    customer_email: Email.optional().openapi({ example: "jane@example.com" }),
    external_id: ExternalId.optional().openapi({ example: "cust_9821" }),
    initial_balance: Amount.optional().openapi({ description: "Gift cards only; major units of the template's currency", example: 50 }),
    points: z.number().int().min(0).max(1_000_000_000).optional().openapi({ description: "Loyalty and membership only" }),
    barcode_data: z.string().min(1).max(500).optional().openapi({ description: "Overrides the template barcode" }),
    nfc_data: z.string().min(1).max(64).optional().openapi({ description: "Overrides the template NFC message" }),
    metadata: Metadata.optional(),
  })
  .strict()
  .openapi("IssuePassRequest");

export const UpdatePassBody = z
  .object({
    customer_name: z.string().trim().min(1).max(200).nullable(),
    customer_email: Email.nullable(),
    external_id: ExternalId.nullable(),
    points: z.number().int().min(0).max(1_000_000_000),
    balance: Amount,
    stamps: z.number().int().min(0).max(100_000),
    metadata: MetadataPatch,
    barcode_data: z.string().min(1).max(500).nullable().openapi({ description: "null reverts to the template barcode" }),
    nfc_data: z.string().min(1).max(64).nullable(),
  })
  .partial()
  .strict()
  .openapi("UpdatePassRequest");

export const PassSchema = z
  .object({
    id: z.string().openapi({ example: "pass_06h1460753etx8qzseczcxd4vc" }),
    serial_number: z.string().openapi({ example: "PL-7K3M9-XQ2D4" }),
    template_id: z.string(),
    customer_name: z.string().nullable(),
    customer_email: z.string().nullable(),
    external_id: z.string().nullable(),
    status: z.enum(PASS_STATUSES),
    points: z.number().int(),
    balance: z.number().nullable().openapi({ description: "Major units of `currency`; null for passes without stored value", example: 85 }),
    currency: z.string().nullable(),
    stamps: z.number().int(),
    metadata: z.record(z.string(), z.unknown()),
    barcode_data: z.string().nullable(),
    nfc_data: z.string().nullable(),
    download_url: z.string().openapi({ description: "Unguessable link that adds the pass to Apple or Google Wallet" }),
    expires_at: z.string().nullable(),
    checked_in_at: z.string().nullable(),
    redeemed_at: z.string().nullable(),
    voided_at: z.string().nullable(),
    reactivated_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Pass");

const ItemError = z.object({ code: z.string().openapi({ example: "duplicate_external_id" }), message: z.string() });

export const BulkIssueBody = z
  .object({
    passes: z
      .array(z.unknown())
      .min(1)
      .max(500)
      .openapi({ description: "Up to 500 IssuePassRequest objects; each is validated on its own" }),
  })
  .strict()
  .openapi("BulkIssueRequest");

export const BulkUpdateBody = z
  .object({
    passes: z.array(z.unknown()).min(1).max(500).openapi({ description: "Up to 500 UpdatePassRequest objects, each with an `identifier`" }),
  })
  .strict()
  .openapi("BulkUpdateRequest");

export const BulkUpdateItem = UpdatePassBody.extend({ identifier: z.string().min(1) });

const bulkResult = (status: "created" | "updated", pass: z.ZodObject) =>
  z.object({
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.union([
        z.object({ index: z.number().int(), status: z.literal(status), pass }),
        z.object({ index: z.number().int(), status: z.literal("error"), error: ItemError }),
      ]),
    ),
  });

export const BulkIssueResult = bulkResult(
  "created",
  z.object({ id: z.string(), serial_number: z.string(), download_url: z.string() }),
).openapi("BulkIssueResult");
export const BulkUpdateResult = bulkResult("updated", z.object({ id: z.string(), serial_number: z.string() })).openapi("BulkUpdateResult");

export const PassEventSchema = z
  .object({
    id: z.string(),
    type: z.string().openapi({ example: "pass.updated" }),
    created_at: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi("PassEvent");

const IsoInstant = z.iso.datetime({ offset: true });

export const ListPassesQuery = z.object({
  template_id: z.string().optional(),
  status: z.enum(PASS_STATUSES).optional().openapi({ description: "`expired` lists the most recently expired first" }),
  q: z.string().trim().min(3, "Search for at least 3 characters").max(100).optional().openapi({
    description:
      "Passes whose name, email, external_id or serial number contain every word given (each at least 3 characters); newest first",
  }),
  updated_since: IsoInstant.optional().openapi({ description: "Only passes changed at or after this time, most recently changed first" }),
  expires_before: IsoInstant.optional().openapi({ description: "Only passes expiring before this time, soonest first" }),
  cursor: z.string().optional().openapi({ description: "`next_cursor` from the previous page of the same query" }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
