import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Database } from "./client";
import { businesses, memberships, users } from "./schema";

export type MembershipRow = typeof memberships.$inferSelect;

export function insertMembership(db: Database, row: typeof memberships.$inferInsert) {
  return db.insert(memberships).values(row);
}

/** The user's active membership of a business, with the business: what a Bearer request needs. */
export function findMembershipWithBusiness(db: Database, userId: string, businessId: string) {
  return db
    .select({ membership: memberships, business: businesses })
    .from(memberships)
    .innerJoin(businesses, eq(businesses.id, memberships.businessId))
    .where(and(eq(memberships.userId, userId), eq(memberships.businessId, businessId)))
    .get();
}

/** The business a user lands in after login when none is asked for: the one joined first. */
export function findFirstMembership(db: Database, userId: string) {
  return db
    .select({ membership: memberships, business: businesses })
    .from(memberships)
    .innerJoin(businesses, eq(businesses.id, memberships.businessId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .get();
}

export function listMemberships(db: Database, businessId: string) {
  return db
    .select({ membership: memberships, userEmail: users.email })
    .from(memberships)
    .leftJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.businessId, businessId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .all();
}

export function findMembership(db: Database, businessId: string, membershipId: string) {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.businessId, businessId), eq(memberships.id, membershipId)))
    .get();
}

export function findMembershipByEmail(db: Database, businessId: string, email: string) {
  return db
    .select()
    .from(memberships)
    .where(and(eq(memberships.businessId, businessId), eq(memberships.email, email)))
    .get();
}

export function findMembershipByInviteToken(db: Database, tokenHash: string) {
  return db
    .select({ membership: memberships, business: businesses })
    .from(memberships)
    .innerJoin(businesses, eq(businesses.id, memberships.businessId))
    .where(eq(memberships.inviteTokenHash, tokenHash))
    .get();
}

export function acceptMembership(db: Database, membershipId: string, userId: string) {
  return db.update(memberships).set({ userId, inviteTokenHash: null }).where(eq(memberships.id, membershipId));
}

export function countOwners(db: Database, businessId: string): Promise<number> {
  return db.$count(memberships, and(eq(memberships.businessId, businessId), eq(memberships.role, "owner"), isNotNull(memberships.userId)));
}

export function deleteMembership(db: Database, membershipId: string) {
  return db.delete(memberships).where(eq(memberships.id, membershipId));
}

/** Users who belong to the business (accepted memberships). */
export async function memberUserIds(db: Database, businessId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.businessId, businessId), isNotNull(memberships.userId)))
    .all();
  return rows.flatMap((r) => (r.userId ? [r.userId] : []));
}
