import { findBusiness, insertBusiness } from "../../db/businesses";
import type { Database } from "../../db/client";
import {
  acceptMembership,
  findFirstMembership,
  findMembershipByInviteToken,
  findMembershipWithBusiness,
  insertMembership,
} from "../../db/memberships";
import { findRefreshToken, revokeRefreshToken, revokeUserRefreshTokens } from "../../db/refresh-tokens";
import { placeBusiness } from "../../db/shards";
import { findUser, findUserByEmail, insertUser } from "../../db/users";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { newId, newSerialPrefix } from "../../lib/ids";
import { hashPassword, verifyPassword } from "../../lib/passwords";
import type { GrantCache } from "./grants";
import { mintRefreshToken, type Session, sessionResponse } from "./session";
import type { TokenConfig } from "./tokens";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const INVALID_LOGIN = "Invalid email or password";

/** Creates the user, their business (Free plan) and the owner membership in one batch. */
/**
 * Creates the user, their business (Free plan, placed on one of `openShards`) and the owner
 * membership in one batch.
 */
export async function signUp(
  db: Database,
  config: TokenConfig,
  openShards: readonly string[],
  input: { email: string; password: string; business_name: string },
): Promise<Session> {
  const email = normaliseEmail(input.email);
  if (await findUserByEmail(db, email)) throw new ApiError("conflict", "An account with this email already exists");

  const now = new Date().toISOString();
  const user = { id: newId("usr"), email, passwordHash: await hashPassword(input.password) };
  const businessId = newId("biz");
  const base = {
    id: businessId,
    name: input.business_name.trim(),
    plan: "free" as const,
    shard: placeBusiness(openShards, businessId),
    updatedAt: now,
  };
  const refresh = await mintRefreshToken(db, user.id, businessId);
  // A new serial prefix collides with another business's about once in 30,000 signups at a million businesses: try again.
  for (let attempt = 1; ; attempt++) {
    const business = { ...base, serialPrefix: newSerialPrefix() };
    try {
      await db.batch([
        insertUser(db, user),
        insertBusiness(db, business),
        insertMembership(db, { id: newId("mem"), businessId, userId: user.id, email, role: "owner" }),
        refresh.insert,
      ]);
      return sessionResponse(config, user, business, refresh.token);
    } catch (error) {
      const message = String(error);
      if (message.includes("serial_prefix") && attempt < 5) continue;
      // Two sign-ups for one email raced: the unique index let one through.
      if (message.includes("UNIQUE")) throw new ApiError("conflict", "An account with this email already exists");
      throw error;
    }
  }
}

export async function logIn(
  db: Database,
  config: TokenConfig,
  input: { email: string; password: string; business_id?: string },
): Promise<Session> {
  const user = await findUserByEmail(db, normaliseEmail(input.email));
  // Always verify, even for an unknown email, so the answer and its timing do not differ.
  const valid = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !valid) throw new ApiError("unauthorized", INVALID_LOGIN);

  const joined = input.business_id
    ? await findMembershipWithBusiness(db, user.id, input.business_id)
    : await findFirstMembership(db, user.id);
  if (!joined) throw new ApiError("forbidden", "This account is not a member of that business");

  const refresh = await mintRefreshToken(db, user.id, joined.business.id);
  await refresh.insert;
  return sessionResponse(config, user, joined.business, refresh.token);
}

/** Refresh tokens are single-use: each refresh rotates it; reuse of a spent one revokes them all. */
export async function refreshSession(db: Database, config: TokenConfig, refreshToken: string): Promise<Session> {
  const stored = await findRefreshToken(db, await sha256Hex(refreshToken));
  if (!stored || stored.expiresAt <= new Date().toISOString()) throw new ApiError("unauthorized", "Invalid refresh token");
  if (stored.revokedAt) {
    await revokeUserRefreshTokens(db, stored.userId);
    throw new ApiError("unauthorized", "Invalid refresh token");
  }

  const [user, joined] = await Promise.all([findUser(db, stored.userId), findMembershipWithBusiness(db, stored.userId, stored.businessId)]);
  if (!user || !joined) throw new ApiError("unauthorized", "Invalid refresh token");

  const next = await mintRefreshToken(db, user.id, joined.business.id);
  const [revoked] = await db.batch([revokeRefreshToken(db, stored.id), next.insert]);
  if (revoked.length === 0) {
    // A concurrent refresh spent it first; the token minted here must not survive.
    await revokeUserRefreshTokens(db, user.id);
    throw new ApiError("unauthorized", "Invalid refresh token");
  }
  return sessionResponse(config, user, joined.business, next.token);
}

export async function logOut(db: Database, refreshToken: string): Promise<void> {
  const stored = await findRefreshToken(db, await sha256Hex(refreshToken));
  if (stored) await revokeRefreshToken(db, stored.id);
}

/** Accepting an invitation creates the account if needed (or checks its password) and activates the membership. */
export async function acceptInvite(
  db: Database,
  grants: GrantCache,
  config: TokenConfig,
  input: { token: string; password: string },
): Promise<Session> {
  const invited = await findMembershipByInviteToken(db, await sha256Hex(input.token));
  if (!invited || invited.membership.userId) throw new ApiError("not_found", "Invitation not found or already accepted");

  const email = invited.membership.email;
  const existing = await findUserByEmail(db, email);
  if (existing && !(await verifyPassword(input.password, existing.passwordHash))) {
    throw new ApiError("unauthorized", INVALID_LOGIN);
  }
  const user = existing ?? { id: newId("usr"), email, passwordHash: await hashPassword(input.password) };
  const refresh = await mintRefreshToken(db, user.id, invited.business.id);
  const activate = [acceptMembership(db, invited.membership.id, user.id), refresh.insert] as const;
  await (existing ? db.batch(activate) : db.batch([insertUser(db, user), ...activate]));
  // A user removed and invited back may still be remembered as no member.
  if (existing) await grants.forget({ userIds: [user.id] });
  const business = (await findBusiness(db, invited.business.id)) ?? invited.business;
  return sessionResponse(config, user, business, refresh.token);
}
