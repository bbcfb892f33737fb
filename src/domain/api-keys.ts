import { type ApiKeyRow, insertApiKey, listActiveApiKeys, revokeApiKey, updateActiveApiKey } from "../db/api-keys";
import type { Database } from "../db/client";
import { sha256Hex } from "../lib/crypto";
import { ApiError, assertSomethingToUpdate } from "../lib/errors";
import { newId, randomBytes } from "../lib/ids";
import type { GrantCache } from "./auth/grants";
import { API_KEY_SCOPES, type ApiKeyScope, type Mode, type Plan } from "./enums";
import { assertFeature } from "./plans";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ENTROPY_CHARS = 30; // 30 base62 characters ≈ 178 bits
const CHECKSUM_CHARS = 6;
const KEY_PATTERN = /^pb_(live|test)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;

function base62(bytes: Uint8Array, length: number): string {
  let out = "";
  for (const byte of bytes) {
    if (out.length === length) break;
    // 248 = 4 × 62: rejecting the top values keeps every character equally likely.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out;
}

async function checksum(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  return Array.from(digest.slice(0, CHECKSUM_CHARS), (b) => BASE62[b % 62]).join("");
}

/**
 * `pb_live_` or `pb_test_`, 30 random base62 characters, then a 6-character checksum — like
 * GitHub's tokens, a mistyped or truncated key is rejected without a database lookup, and
 * secret scanners can recognise leaked keys.
 */
async function mintApiKey(mode: Mode): Promise<string> {
  let entropy = "";
  while (entropy.length < ENTROPY_CHARS) entropy += base62(randomBytes(40), ENTROPY_CHARS - entropy.length);
  const body = `pb_${mode}_${entropy}`;
  return body + (await checksum(body));
}

export async function isWellFormedApiKey(key: string): Promise<boolean> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return false;
  const body = key.slice(0, key.length - CHECKSUM_CHARS);
  return (await checksum(body)) === match[3];
}

export const hashApiKey = (key: string) => sha256Hex(key);

export function presentApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    mode: row.mode,
    scopes: row.scopes,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
  };
}

/** A key is of use only on a plan with API access: a Free business is told so now, not by every later request. */
export async function createApiKey(
  db: Database,
  input: { businessId: string; plan: Plan; name: string; mode: Mode; scopes?: ApiKeyScope[]; createdBy?: string },
) {
  assertFeature(input.plan, "api_access");
  const key = await mintApiKey(input.mode);
  const row = await insertApiKey(db, {
    id: newId("key"),
    businessId: input.businessId,
    name: input.name,
    mode: input.mode,
    prefix: input.mode === "live" ? "pb_live_" : "pb_test_",
    last4: key.slice(-4),
    keyHash: await hashApiKey(key),
    scopes: input.scopes?.length ? [...new Set(input.scopes)] : [...API_KEY_SCOPES],
    createdBy: input.createdBy,
  });
  return { ...presentApiKey(row), key };
}

export async function listApiKeys(db: Database, businessId: string) {
  return (await listActiveApiKeys(db, businessId)).map(presentApiKey);
}

/** Revokes the key; its guard forgets it before this returns, so its very next request fails. */
export async function deleteApiKey(db: Database, grants: GrantCache, businessId: string, keyId: string) {
  const revoked = await revokeApiKey(db, businessId, keyId);
  if (!revoked) throw new ApiError("not_found", `API key ${keyId} does not exist`);
  await grants.forget({ keyHashes: [revoked.keyHash] });
}

/** Renames or rescopes a key; a narrowed scope applies from the key's next request. */
export async function updateApiKey(
  db: Database,
  grants: GrantCache,
  businessId: string,
  keyId: string,
  changes: { name?: string; scopes?: ApiKeyScope[] },
) {
  assertSomethingToUpdate(changes);
  const updated = await updateActiveApiKey(db, businessId, keyId, {
    ...(changes.name === undefined ? {} : { name: changes.name }),
    ...(changes.scopes === undefined ? {} : { scopes: [...new Set(changes.scopes)] }),
  });
  if (!updated) throw new ApiError("not_found", `API key ${keyId} does not exist`);
  await grants.forget({ keyHashes: [updated.keyHash] });
  return presentApiKey(updated);
}
