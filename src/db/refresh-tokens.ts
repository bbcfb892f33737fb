import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "./client";
import { refreshTokens } from "./schema";

export function insertRefreshToken(db: Database, row: typeof refreshTokens.$inferInsert) {
  return db.insert(refreshTokens).values(row);
}

export function findRefreshToken(db: Database, tokenHash: string) {
  return db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).get();
}

/** Marks one token used; `returning` tells the caller whether it was still live (single use under races). */
export function revokeRefreshToken(db: Database, id: string) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
}

export function revokeUserRefreshTokens(db: Database, userId: string) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

/** Every token of one sign-in: logging out ends the whole rotation chain. */
export function revokeSessionRefreshTokens(db: Database, sessionId: string) {
  return db
    .update(refreshTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.revokedAt)));
}
