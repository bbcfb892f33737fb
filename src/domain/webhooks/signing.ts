import { hmacSha256 } from "../../lib/crypto";
import { base64Decode, base64Encode, toHex } from "../../lib/encoding";
import { randomBytes } from "../../lib/ids";

const PREFIX = "whsec_";

/** `whsec_` + base64 of 32 random bytes (256 bits): usable as-is by the reference's snippets and by Standard Webhooks. */
export function newWebhookSecret(): string {
  return PREFIX + base64Encode(randomBytes(32));
}

async function standardSignature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = base64Decode(secret.slice(PREFIX.length));
  const signingKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", signingKey, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${base64Encode(new Uint8Array(mac))}`;
}

/**
 * The headers that let a receiver check a delivery:
 *  - `X-PassLite-Signature`: hex HMAC-SHA256 of the raw body, keyed by the secret's UTF-8 bytes
 *    (the reference's verifyWebhook); during the 24 h after a rotation, the old secret's signature
 *    also travels as `X-PassLite-Signature-Previous`;
 *  - `webhook-id`, `webhook-timestamp`, `webhook-signature`: Standard Webhooks, every valid
 *    secret's signature listed, so its verifiers (and their replay window) work unchanged.
 */
export async function signatureHeaders(
  body: string,
  d: { eventId: string; deliveryId: string; eventType: string; secrets: string[]; timestamp: number },
): Promise<Record<string, string>> {
  const [current, ...previous] = d.secrets;
  const hex = async (secret: string) => toHex(await hmacSha256(secret, body));
  const standard = await Promise.all(d.secrets.map((secret) => standardSignature(secret, d.eventId, d.timestamp, body)));
  return {
    "Content-Type": "application/json",
    "X-PassLite-Event": d.eventType,
    "X-PassLite-Delivery": d.deliveryId,
    "X-PassLite-Signature": await hex(current!),
    ...(previous[0] ? { "X-PassLite-Signature-Previous": await hex(previous[0]) } : {}),
    "webhook-id": d.eventId,
    "webhook-timestamp": String(d.timestamp),
    "webhook-signature": standard.join(" "),
  };
}
