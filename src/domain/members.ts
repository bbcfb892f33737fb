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
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { newId, randomToken } from "../lib/ids";
import type { Role } from "../types";
import { normaliseEmail } from "./auth/accounts";
import type { GrantCache } from "./auth/grants";

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const invitationExpired = (row: MembershipRow, now: string) => !row.userId && (!row.inviteExpiresAt || row.inviteExpiresAt <= now);

function presentMember(row: MembershipRow, now = new Date().toISOString()) {
  const status = row.userId ? "active" : invitationExpired(row, now) ? "expired" : "invited";
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: status as "active" | "invited" | "expired",
    ...(row.userId || !row.inviteExpiresAt ? {} : { expires_at: row.inviteExpiresAt }),
    created_at: row.createdAt,
  };
}

/**
 * Every invitation waits for its invitee: the token, returned this one time, is redeemed by
 * `POST /auth/accept-invite` — from the invitee's own session when the email has an account, by
 * choosing a password when not. The answer is the same either way, so it tells the inviter
 * nothing about who has an account. An expired invitation may be sent again.
 */
export async function inviteMember(db: Database, businessId: string, input: { email: string; role: Role }) {
  const email = normaliseEmail(input.email);
  const now = new Date();
  const existing = await findMembershipByEmail(db, businessId, email);
  if (existing && !invitationExpired(existing, now.toISOString())) {
    throw new ApiError("conflict", `${email} is already a member of this business or has been invited`);
  }
  const inviteToken = `inv_${randomToken(24)}`;
  const row = {
    id: newId("mem"),
    businessId,
    email,
    role: input.role,
    userId: null,
    inviteTokenHash: await sha256Hex(inviteToken),
    inviteExpiresAt: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    createdAt: now.toISOString(),
  };
  if (existing) await db.batch([deleteMembership(db, existing.id), insertMembership(db, row)]);
  else await insertMembership(db, row);
  return { ...presentMember(row), invite_token: inviteToken };
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
