import { timingSafeEqual } from "../lib/crypto";
import { base64UrlEncode } from "../lib/encoding";

/** 96 bits of HMAC-SHA256, URL-safe: short enough for a QR code, far too long to guess. */
const SIGNATURE_CHARS = 16;

const encoder = new TextEncoder();
const hmacKey = (secret: string) =>
  crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const mac = async (key: CryptoKey, message: string) => new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));

// Every scan verifies a signature: each business's key is derived and imported once per isolate
// (the oldest are dropped past a bound, so a long-lived isolate does not grow without limit).
const businessKeys = new Map<string, Promise<CryptoKey>>();
const MAX_BUSINESS_KEYS = 1000;

/** Each business signs with its own key, derived from the deployment secret and its id. */
function businessKey(secret: string, businessId: string): Promise<CryptoKey> {
  const cacheKey = `${businessId}\n${secret}`;
  let key = businessKeys.get(cacheKey);
  if (!key) {
    key = hmacKey(secret)
      .then((root) => mac(root, `barcode-key:${businessId}`))
      .then((derived) => hmacKey(base64UrlEncode(derived)));
    key.catch(() => businessKeys.delete(cacheKey));
    businessKeys.set(cacheKey, key);
    if (businessKeys.size > MAX_BUSINESS_KEYS) businessKeys.delete(businessKeys.keys().next().value!);
  }
  return key;
}

/** The signature over a serial and its key version (bumped to re-issue one pass's barcode). */
export async function signBarcode(secret: string, businessId: string, serial: string, keyVersion: number): Promise<string> {
  return base64UrlEncode(await mac(await businessKey(secret, businessId), `${serial}.${keyVersion}`)).slice(0, SIGNATURE_CHARS);
}

/** Checked in constant time on every scan. */
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
