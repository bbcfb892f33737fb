import { z } from "@hono/zod-openapi";
import { PASS_STATUSES } from "../../domain/enums";
import { CURRENCY_PATTERN } from "../../domain/money";
import { COUNTER_MAX } from "../../domain/passes/limits";
import { nfcMessageProblem } from "../../wallet/apple/nfc";
import { schemaRef } from "../openapi";
import {
  BULK_ISSUE_EXAMPLE,
  BULK_ISSUE_RESULT_EXAMPLE,
  BULK_UPDATE_EXAMPLE,
  BULK_UPDATE_RESULT_EXAMPLE,
  ISSUE_PASS_EXAMPLE,
  PASS_EXAMPLE,
  UPDATE_PASS_EXAMPLE,
} from "./examples";

const MetadataValue = z.union([z.string().max(500), z.number(), z.boolean()]);
const maxKeys = (record: Record<string, unknown>) => Object.keys(record).length <= 50;
const Metadata = z.record(z.string().min(1).max(40), MetadataValue).refine(maxKeys, "At most 50 metadata keys");
const MetadataPatch = z
  .record(z.string().min(1).max(40), MetadataValue.nullable())
  .refine(maxKeys, "At most 50 metadata keys")
  .openapi({ description: "Merged into the pass's metadata; a key set to null is removed" });

const BALANCE_RULE = `at most ${COUNTER_MAX.balance} minor units (10,000,000,000.00 in a two-decimal currency), and no more decimals than the currency has`;
const Balance = z.number().nonnegative().max(COUNTER_MAX.balance).finite();
const Points = z.number().int().min(0).max(COUNTER_MAX.points);
const NfcData = z
  .string()
  .min(1)
  .superRefine((message, ctx) => {
    const problem = nfcMessageProblem(message);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({ description: "At most 64 bytes of UTF-8 (Apple's NFC limit)" });
const Email = z.email().max(254);
const ExternalId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\s]+$/, "external_id may not contain spaces or slashes");

export const IssuePassBody = z
  .object({
    template_id: z.string().min(1).openapi({ description: "ID of the pass template to use" }),
    customer_name: z.string().trim().min(1).max(200).optional().openapi({ description: "Full name of the pass holder" }),
    customer_email: Email.optional().openapi({ description: "Email address for delivery and lookup" }),
    external_id: ExternalId.optional().openapi({ description: "Your system's unique identifier for this pass" }),
    initial_balance: Balance.optional().openapi({
      description: `Gift cards only: starting balance in major units of the template's currency; ${BALANCE_RULE}`,
    }),
    points: Points.optional().openapi({ description: "Loyalty and membership only: starting points" }),
    barcode_data: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: "Overrides the template barcode, e.g. for external ticketing systems", example: "TICKET-XYZ-12345" }),
    nfc_data: NfcData.optional().openapi({ description: "Overrides the template NFC message", example: "custom-nfc-payload" }),
    metadata: Metadata.optional().openapi({ description: "Arbitrary key-value pairs attached to the pass", example: { tier: "gold" } }),
  })
  .strict()
  .openapi("IssuePassRequest", { example: ISSUE_PASS_EXAMPLE });

export const UpdatePassBody = z
  .object({
    customer_name: z.string().trim().min(1).max(200).nullable(),
    customer_email: Email.nullable(),
    external_id: ExternalId.nullable(),
    points: Points,
    balance: Balance.openapi({ description: `Gift cards only: the new balance in major units; ${BALANCE_RULE}` }),
    stamps: z.number().int().min(0).max(COUNTER_MAX.stamps),
    metadata: MetadataPatch,
    barcode_data: z.string().min(1).max(500).nullable().openapi({ description: "null reverts to the template barcode" }),
    nfc_data: NfcData.nullable(),
  })
  .partial()
  .strict()
  .openapi("UpdatePassRequest", { example: UPDATE_PASS_EXAMPLE });

export const PassSchema = z
  .object({
    id: z.string(),
    serial_number: z.string(),
    template_id: z.string(),
    customer_name: z.string().nullable(),
    customer_email: z.string().nullable(),
    external_id: z.string().nullable(),
    status: z.enum(PASS_STATUSES),
    points: z.number().int().min(0).max(COUNTER_MAX.points),
    balance: z
      .number()
      .min(0)
      .max(COUNTER_MAX.balance)
      .nullable()
      .openapi({ description: `Major units of \`currency\`; null for passes without stored value; ${BALANCE_RULE}` }),
    currency: z.string().regex(CURRENCY_PATTERN).nullable().openapi({ description: "ISO 4217 code" }),
    stamps: z.number().int().min(0).max(COUNTER_MAX.stamps),
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
  .openapi("Pass", { example: PASS_EXAMPLE });

const ItemError = z.object({ code: z.string().openapi({ example: "duplicate_external_id" }), message: z.string() });

export const BulkIssueBody = z
  .object({
    // Typed for the reader, validated item by item by the route so one bad item fails alone.
    passes: z
      .array(z.unknown())
      .min(1)
      .max(500)
      .openapi({ description: "Up to 500 passes to issue; each is validated on its own", items: schemaRef("IssuePassRequest") }),
  })
  .strict()
  .openapi("BulkIssueRequest", { example: BULK_ISSUE_EXAMPLE });

export const BulkUpdateBody = z
  .object({
    passes: z
      .array(z.unknown())
      .min(1)
      .max(500)
      .openapi({ description: "Up to 500 changes, each naming its pass by `identifier`", items: schemaRef("BulkUpdateItem") }),
  })
  .strict()
  .openapi("BulkUpdateRequest", { example: BULK_UPDATE_EXAMPLE });

// Spread rather than extended: the document then lists every field itself instead of an
// allOf whose two closed halves no JSON Schema validator could satisfy together.
export const BulkUpdateItem = z
  .object({ identifier: z.string().min(1).openapi({ description: "Pass id, serial number or external_id" }), ...UpdatePassBody.shape })
  .strict()
  .openapi({ example: BULK_UPDATE_EXAMPLE.passes[0] });

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
).openapi("BulkIssueResult", { example: BULK_ISSUE_RESULT_EXAMPLE });
export const BulkUpdateResult = bulkResult("updated", z.object({ id: z.string(), serial_number: z.string() })).openapi("BulkUpdateResult", {
  example: BULK_UPDATE_RESULT_EXAMPLE,
});

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
