import { base64Decode, base64UrlEncode } from "./encoding";
import { randomBytes } from "./ids";

// Workers cap PBKDF2 at 100,000 iterations; that is also OWASP's floor for PBKDF2-SHA256.
const ITERATIONS = 100_000;
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${base64UrlEncode(salt)}$${base64UrlEncode(hash)}`;
}

// Verifying against this when the account does not exist costs the same as a real check.
const DUMMY_HASH = `pbkdf2-sha256$${ITERATIONS}$${"A".repeat(22)}$${"A".repeat(43)}`;

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const [scheme, iterations, salt, hash] = (stored ?? DUMMY_HASH).split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const expected = base64Decode(hash);
  const actual = await derive(password, base64Decode(salt), Number(iterations));
  const equal = actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected);
  return stored !== undefined && equal;
}
