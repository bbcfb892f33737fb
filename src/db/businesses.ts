import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { businesses } from "./schema";
import { statement } from "./statements";

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

const COLUMNS: Record<keyof BusinessChanges, string> = {
  name: "name",
  timezone: "timezone",
  currency: "currency",
  brandBackground: "brand_background",
  brandForeground: "brand_foreground",
  brandLabel: "brand_label",
  plan: "plan",
};

/** The update as a statement, so it can share a batch with its event; RETURNING the new row. */
export function updateBusiness(db: Database, id: string, changes: BusinessChanges, now: string) {
  const sets = [sql`updated_at = ${now}`];
  for (const [field, value] of Object.entries(changes) as Array<[keyof BusinessChanges, string | null]>) {
    sets.push(sql`${sql.raw(COLUMNS[field])} = ${value}`);
  }
  return statement(db, sql`UPDATE businesses SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING *`);
}

/** A RETURNING row as SQLite gives it → the business as the rest of the code reads it. */
export function toBusinessRow(r: Record<string, unknown>): BusinessRow {
  return {
    id: r.id as string,
    name: r.name as string,
    shard: r.shard as string,
    serialPrefix: r.serial_prefix as string | null,
    plan: r.plan as BusinessRow["plan"],
    timezone: r.timezone as string,
    currency: r.currency as string,
    brandBackground: r.brand_background as string | null,
    brandForeground: r.brand_foreground as string | null,
    brandLabel: r.brand_label as string | null,
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}

/** The shards the shard map uses. */
export function placedShards(db: Database) {
  return db.selectDistinct({ shard: businesses.shard }).from(businesses).all();
}
