import { passScans } from "../../domain/passes/lookup";
import { presentPass } from "../../domain/passes/present";
import { type ScanOutcome, scanCode } from "../../domain/scans";
import { createRouter } from "../../lib/create-app";
import { barcodeSecret } from "../../wallet/apple/config";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse } from "../openapi";
import { PassParams } from "../passes";
import { pageExample } from "../passes/examples";
import { PageQuery, pageOf } from "../templates/schemas";
import { SCAN_EXAMPLE, ScanBody, ScanRecordSchema, ScanResultSchema } from "./schemas";

const tags = ["Scanning"];

const scanRoute = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/scan",
  tags,
  permission: "scan",
  summary: "Scan a pass",
  description: [
    "What a door scanner sends: the scanned text and `verify` or `checkin`. The signature of a signed template's barcode is checked on every scan.",
    "`verify` is read-only and always allowed; on an auto-stamp template it checks the pass in and adds a stamp, within the cooldown.",
    "`checkin` follows the template's cooldown: 429 `Already checked in at 14:30` (one-time, the business's local time) or `Try again in 3m 20s` with `Retry-After` (window).",
    "A pass's `barcode_data` is the merchant's own barcode (an external ticketing system's): it is looked up first, and carries no signature of ours.",
    "Errors: a missing or wrong signature is 403 `Invalid barcode signature`; an unknown code 404; a voided, redeemed or expired pass 409 for `checkin`.",
    "Every scan, allowed or not, is recorded (`GET …/passes/{id}/scans`) and sent as `pass.scanned`.",
  ].join("\n\n"),
  request: { params: BusinessParams, body: jsonBody(ScanBody) },
  responses: { 200: jsonResponse(ScanResultSchema, "What the scan found, and did"), ...errorResponses(404, 409, 422) },
});

const scansRoute = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/passes/{identifier}/scans",
  tags,
  permission: "passes:read",
  summary: "List a pass's scans",
  description: "Every scan of the pass, newest first: who (API key or user), the device, what was scanned and the result.",
  request: { params: PassParams, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(ScanRecordSchema, "ScanPage"), "A page of scans", pageExample(SCAN_EXAMPLE)),
    ...errorResponses(404),
  },
});

function presentOutcome(outcome: ScanOutcome, origin: string) {
  const { scan, pass, refusal } = outcome;
  return {
    scan_id: scan.id,
    result: scan.result,
    pass: presentPass(pass, origin),
    valid: scan.result !== "invalid",
    checked_in: scan.result === "checked_in",
    checkin_allowed: refusal === undefined,
    ...(refusal ? { reason: refusal.reason, message: refusal.message } : {}),
    ...(refusal?.retryAfterSeconds ? { retry_after_seconds: refusal.retryAfterSeconds } : {}),
  };
}

export const scanRoutes = createRouter()
  .openapi(scanRoute, async (c) => {
    const outcome = await scanCode(c.var.tenant, c.var.principal, () => barcodeSecret(c.var.config), c.req.valid("json"));
    return c.json(presentOutcome(outcome, c.var.config.API_ORIGIN), 200);
  })
  .openapi(scansRoute, async (c) =>
    c.json(await passScans(c.var.tenant, c.var.principal, c.req.valid("param").identifier, c.req.valid("query")), 200),
  );
