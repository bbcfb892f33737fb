import type { Database } from "../db/client";
import {
  countOwners,
  deleteMembership,
  findMembership,
  findMembershipByEmail,
  insertMembership,
  listMemberships,
  type MembershipRow,
} from "../db/memberships";
import { findUserByEmail } from "../db/users";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import type { Role } from "../types";
import { normaliseEmail } from "./auth/accounts";
import type { GrantCache } from "./auth/grants";

function presentMember(row: MembershipRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: row.userId ? ("active" as const) : ("invited" as const),
    created_at: row.createdAt,
  };
}

/**
 * Someone who already has an account joins at once; anyone else gets an invitation token,
 * returned this one time, which `POST /auth/accept-invite` redeems.
 */
export async function inviteMember(db: Database, businessId: string, input: { email: string; role: Role }) {
  const email = normaliseEmail(input.email);
  if (await findMembershipByEmail(db, businessId, email)) {
    throw new ApiError("conflict", `${email} is already a member of this business or has been invited`);
  }
  const user = await findUserByEmail(db, email);
  const inviteToken = user ? undefined : `inv_${randomToken(24)}`;
  const row = {
    id: newId("mem"),
    businessId,
    email,
    role: input.role,
    userId: user?.id ?? null,
    inviteTokenHash: inviteToken ? await sha256Hex(inviteToken) : null,
    createdAt: new Date().toISOString(),
  };
  await insertMembership(db, row);
  return { ...presentMember(row), ...(inviteToken ? { invite_token: inviteToken } : {}) };
}

export async function listMembers(db: Database, businessId: string) {
  return (await listMemberships(db, businessId)).map(({ membership }) => presentMember(membership));
}

/** Removes the membership; the user's guard forgets it before this returns, so their next request here fails. */
export async function removeMember(db: Database, grants: GrantCache, businessId: string, membershipId: string) {
  const member = await findMembership(db, businessId, membershipId);
  if (!member) throw new ApiError("not_found", `Member ${membershipId} does not exist`);
  if (member.role === "owner" && member.userId && (await countOwners(db, businessId)) <= 1) {
    throw new ApiError("conflict", "A business must keep at least one owner");
  }
  await deleteMembership(db, membershipId);
  if (member.userId) await grants.forget({ userIds: [member.userId] });
}
