import { eq } from "drizzle-orm";
import type { Database } from "./client";
import { businesses } from "./schema";

export type BusinessRow = typeof businesses.$inferSelect;
export type BusinessChanges = Partial<
  Pick<BusinessRow, "name" | "timezone" | "currency" | "brandBackground" | "brandForeground" | "brandLabel" | "plan">
>;

export function insertBusiness(db: Database, row: typeof businesses.$inferInsert) {
  return db.insert(businesses).values(row);
}

export function findBusiness(db: Database, id: string): Promise<BusinessRow | undefined> {
  return db.select().from(businesses).where(eq(businesses.id, id)).get();
}

export function findBusinessBySerialPrefix(db: Database, prefix: string) {
  return db.select({ id: businesses.id, shard: businesses.shard }).from(businesses).where(eq(businesses.serialPrefix, prefix)).get();
}

export function updateBusiness(db: Database, id: string, changes: BusinessChanges) {
  return db
    .update(businesses)
    .set({ ...changes, updatedAt: new Date().toISOString() })
    .where(eq(businesses.id, id))
    .returning()
    .get();
}
