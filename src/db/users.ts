import { eq } from "drizzle-orm";
import type { Database } from "./client";
import { users } from "./schema";

export type UserRow = typeof users.$inferSelect;

export function insertUser(db: Database, row: typeof users.$inferInsert) {
  return db.insert(users).values(row);
}

export function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export function findUser(db: Database, id: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get();
}
