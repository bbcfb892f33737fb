import { checkInRefusalOf, type PassRow } from "../../db/passes";
import type { Tenant } from "../../db/tenant";
import { verifyBarcodeSignature } from "../barcodes";
import type { ScanSecurity } from "../templates/design";
import { refusalOf, type SigningSecret } from ".";

/** What the public validation page says about a pass: read-only, and no more about the holder than a first name. */
export interface Validation {
  valid: boolean;
  /** Why it is not valid, or what a check-in would meet now; null when there is nothing to add. */
  detail: string | null;
  /** The holder's first name, shown only for a genuine barcode. */
  holder: string | null;
}

const DETAILS = {
  invalid_signature: "This barcode’s signature does not match: it is an altered or outdated copy.",
  voided: "This pass has been voided.",
  redeemed: "This pass has already been redeemed.",
  expired: "This pass has expired.",
} as const;

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] || null;

/**
 * The page's verdict for `GET /validate/{serial}?sig=…`, by the same rules a scan applies: the
 * signature when the template signs its barcodes, then the check-in rule, evaluated in SQL.
 */
export async function validateForPage(
  tenant: Tenant,
  pass: PassRow,
  security: ScanSecurity,
  timezone: string,
  signature: string | null,
  secret: SigningSecret,
): Promise<Validation> {
  if (security.signed_barcodes) {
    const genuine =
      signature !== null &&
      (await verifyBarcodeSignature(secret(), pass.business_id, pass.serial_number, pass.barcode_key_version, signature));
    if (!genuine) return { valid: false, detail: DETAILS.invalid_signature, holder: null };
  }
  const rule = { now: new Date().toISOString(), cooldownSeconds: security.cooldown_seconds };
  const reason = (await checkInRefusalOf(tenant.db, pass.id, rule))?.reason ?? null;
  const holder = firstName(pass.customer_name);
  if (reason === null) return { valid: true, detail: null, holder };
  if (reason === "voided" || reason === "redeemed" || reason === "expired") return { valid: false, detail: DETAILS[reason], holder };
  const refusal = refusalOf(reason, pass, rule, timezone);
  const detail = reason === "cooldown" ? `Checked in recently. ${refusal.message}.` : refusal.message;
  return { valid: true, detail, holder };
}
