import { importPKCS8 } from "jose";
import { normalizePem } from "../lib/pem";

/** A private key in configuration could not be used: a deployment problem, not a transient one. */
export class WalletKeyError extends Error {
  override name = "WalletKeyError";
}

// One import per isolate per key: importing a key is far costlier than signing with it.
const imported = new Map<string, Promise<CryptoKey>>();

/** Imports a PKCS#8 private key for signing (non-extractable), once per isolate. */
export function importSigningKey(pem: string, alg: "ES256" | "RS256", name: string): Promise<CryptoKey> {
  const text = normalizePem(pem);
  const cacheKey = `${alg}\n${text}`;
  let key = imported.get(cacheKey);
  if (!key) {
    key = importPKCS8(text, alg).catch((error: unknown) => {
      imported.delete(cacheKey);
      throw new WalletKeyError(
        `${name} is not a usable ${alg} PKCS#8 private key: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    imported.set(cacheKey, key);
  }
  return key;
}

/** Anything shaped like `fetch`; tests and callers may substitute their own. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** `fetch` called through a wrapper, so it is never invoked with a foreign `this`. */
export const defaultFetch: FetchLike = (input, init) => fetch(input, init);

export const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
