import { hmacSha256, timingSafeEqual } from "../lib/crypto";
import { base64UrlEncode } from "../lib/encoding";

/** 96 bits of HMAC-SHA256, URL-safe: short enough for a QR code, far too long to guess. */
const SIGNATURE_CHARS = 16;

/** Each business signs with its own key, derived from the deployment secret and its id. */
async function businessKey(secret: string, businessId: string): Promise<string> {
  return base64UrlEncode(await hmacSha256(secret, `barcode-key:${businessId}`));
}

/** The signature over a serial and its key version (bumped to re-issue one pass's barcode). */
export async function signBarcode(secret: string, businessId: string, serial: string, keyVersion: number): Promise<string> {
  const mac = await hmacSha256(await businessKey(secret, businessId), `${serial}.${keyVersion}`);
  return base64UrlEncode(mac).slice(0, SIGNATURE_CHARS);
}

export async function verifyBarcodeSignature(
  secret: string,
  businessId: string,
  serial: string,
  keyVersion: number,
  signature: string,
): Promise<boolean> {
  return timingSafeEqual(signature, await signBarcode(secret, businessId, serial, keyVersion));
}

/**
 * What the pass's barcode encodes: `barcode_data` when the merchant set one, otherwise the
 * validation URL a phone camera can open, signed when the template asks for it.
 */
export async function barcodeMessage(
  options: { appOrigin: string; secret: string; signed: boolean },
  pass: { business_id: string; serial_number: string; barcode_data: string | null; barcode_key_version: number },
): Promise<string> {
  if (pass.barcode_data) return pass.barcode_data;
  const url = `${options.appOrigin}/validate/${pass.serial_number}`;
  if (!options.signed) return url;
  return `${url}?sig=${await signBarcode(options.secret, pass.business_id, pass.serial_number, pass.barcode_key_version)}`;
}
