/** Lower-case hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Standard, padded base64 (RFC 4648 §4). */
export function base64Encode(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Unpadded base64url (RFC 4648 §5), for tokens and values that travel in URLs. */
export function base64UrlEncode(bytes: Uint8Array): string {
  return base64Encode(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Base64 in either alphabet, padded or not, whitespace ignored; throws a TypeError on anything else. */
export function base64Decode(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "").replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (digits.length === 0 || digits.length % 4 === 1 || !/^[A-Za-z0-9+/]*$/.test(digits)) throw new TypeError("not base64");
  const binary = atob(digits.padEnd(Math.ceil(digits.length / 4) * 4, "="));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
