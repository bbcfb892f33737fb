import { z } from "@hono/zod-openapi";
import { SCAN_ACTIONS, SCAN_REASONS, SCAN_RESULTS } from "../../domain/enums";
import { passExample } from "../passes/examples";
import { PassSchema } from "../passes/schemas";

export const SCAN_EXAMPLE = {
  id: "scan_01jd5x3m7k0000000000000000",
  action: "checkin" as const,
  result: "blocked" as const,
  reason: "cooldown" as const,
  code: "https://app.passlite.io/validate/PL-7KQ2M-4HX9D-0TBCE?sig=Rk3v1Xq9cT0aZ_mE",
  device: "North gate",
  api_key_id: "key_01jd5x3m7k0000000000000000",
  user_id: null,
  created_at: "2026-04-07T14:22:00.000Z",
};

export const ScanBody = z
  .object({
    code: z.string().trim().min(1).max(2000).openapi({
      description: "The scanned text: a validation URL (`…/validate/{serial}?sig=…`), a bare serial number, or a pass's `barcode_data`",
      example: "https://app.passlite.io/validate/PL-7KQ2M-4HX9D-0TBCE?sig=Rk3v1Xq9cT0aZ_mE",
    }),
    action: z.enum(SCAN_ACTIONS).openapi({
      description: "`verify` reads the pass (and, on an auto-stamp template, checks it in with a stamp); `checkin` checks it in",
    }),
    device: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "A label for the scanner, kept with the scan", example: "North gate" }),
  })
  .strict()
  .openapi("ScanRequest", {
    example: {
      code: "https://app.passlite.io/validate/PL-7KQ2M-4HX9D-0TBCE?sig=Rk3v1Xq9cT0aZ_mE",
      action: "checkin",
      device: "North gate",
    },
  });

const Reason = z.enum(SCAN_REASONS).openapi({
  description: "Why the pass is not valid (voided, redeemed, expired), or why a check-in is refused (already_checked_in, cooldown)",
});

export const ScanResultSchema = z
  .object({
    scan_id: z.string(),
    result: z.enum(SCAN_RESULTS),
    pass: PassSchema,
    valid: z.boolean().openapi({ description: "Not voided, redeemed or expired (a bad signature is a 403 instead)" }),
    checked_in: z.boolean().openapi({ description: "This scan checked the pass in" }),
    checkin_allowed: z.boolean().openapi({ description: "A check-in is allowed now (for `checkin`: it was)" }),
    reason: Reason.optional(),
    message: z.string().optional().openapi({ example: "Already checked in at 14:30" }),
    retry_after_seconds: z.number().int().optional().openapi({ description: "Cooldown windows: seconds until a check-in is allowed" }),
  })
  .openapi("ScanResult", {
    example: {
      scan_id: "scan_01jd5x3m7k0000000000000000",
      result: "valid",
      pass: passExample({ status: "checked_in", checked_in_at: "2026-04-07T13:30:00.000Z" }),
      valid: true,
      checked_in: false,
      checkin_allowed: false,
      reason: "already_checked_in",
      message: "Already checked in at 14:30",
    },
  });

export const ScanRecordSchema = z
  .object({
    id: z.string(),
    action: z.enum(SCAN_ACTIONS),
    result: z.enum(SCAN_RESULTS),
    reason: Reason.nullable(),
    code: z.string().nullable().openapi({ description: "What was scanned; null for a check-in by pass id" }),
    device: z.string().nullable(),
    api_key_id: z.string().nullable(),
    user_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Scan", { example: SCAN_EXAMPLE });
