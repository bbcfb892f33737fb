// Crockford base32: no I, L, O, U — easy to read aloud and to type from a receipt.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function encodeBase32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Random token in URL-safe base32: `bytes * 8` bits of entropy. */
export function randomToken(bytes = 20): string {
  return encodeBase32(randomBytes(bytes));
}

/**
 * Object ids: a type prefix, then 48 bits of milliseconds and 80 random bits (26 chars).
 * They sort by creation time, so they serve as pagination cursors, and need no counter —
 * any shard can mint them.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  return `${prefix}_${encodeBase32(idBytes(now, randomBytes(10)))}`;
}

/** The smallest id minted at `ms`: every id made before then sorts below it (`id < boundary` finds them by the primary key). */
export function idBoundary(prefix: IdPrefix, ms: number): string {
  return `${prefix}_${encodeBase32(idBytes(ms, new Uint8Array(10)))}`;
}

function idBytes(ms: number, random: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16);
  let time = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes.set(random, 6);
  return bytes;
}

export type IdPrefix =
  | "biz"
  | "usr"
  | "mem"
  | "key"
  | "rt"
  | "tpl"
  | "pass"
  | "led"
  | "evt"
  | "reg"
  | "log"
  | "wh"
  | "whd"
  | "wd"
  | "em"
  | "scan"
  | "ses";

/** Five Crockford characters (25 bits) naming a business inside every serial it issues. */
export function newSerialPrefix(): string {
  return encodeBase32(randomBytes(4)).slice(0, 5).toUpperCase();
}

/**
 * Human-readable serial, unique system-wide: `PL-`, the business's prefix, then ten random
 * Crockford characters in two groups (50 bits). The prefix lets wallet requests, which carry
 * only the serial, find the business and its shard; the database's unique index catches the
 * rare collision within a business.
 */
export function newSerialNumber(businessPrefix: string): string {
  const raw = encodeBase32(randomBytes(7)).slice(0, 10).toUpperCase();
  return `PL-${businessPrefix}-${raw.slice(0, 5)}-${raw.slice(5)}`;
}
