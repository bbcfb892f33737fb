import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "./client";
import { apiKeys, businesses } from "./schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function insertApiKey(db: Database, row: typeof apiKeys.$inferInsert) {
  return db.insert(apiKeys).values(row).returning().get();
}

/** The live (unrevoked) key with this hash and its business, found by the unique hash index. */
export function findActiveApiKeyByHash(db: Database, keyHash: string) {
  return db
    .select({ key: apiKeys, business: businesses })
    .from(apiKeys)
    .innerJoin(businesses, eq(businesses.id, apiKeys.businessId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .get();
}

export function listActiveApiKeys(db: Database, businessId: string) {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.businessId, businessId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .all();
}

export function revokeApiKey(db: Database, businessId: string, keyId: string) {
  return updateActiveApiKey(db, businessId, keyId, { revokedAt: new Date().toISOString() });
}

export function updateActiveApiKey(
  db: Database,
  businessId: string,
  keyId: string,
  changes: Partial<Pick<ApiKeyRow, "name" | "scopes" | "revokedAt">>,
) {
  return db
    .update(apiKeys)
    .set(changes)
    .where(and(eq(apiKeys.businessId, businessId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning()
    .get();
}

/** The hashes of a business's live keys: the guards to tell when the business's grant changes. */
export async function activeKeyHashes(db: Database, businessId: string): Promise<string[]> {
  const rows = await db
    .select({ keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.businessId, businessId), isNull(apiKeys.revokedAt)))
    .all();
  return rows.map((r) => r.keyHash);
}

export function touchApiKey(db: Database, keyId: string, at: string) {
  return db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, keyId));
}
