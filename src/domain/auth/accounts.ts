import { findBusiness, insertBusiness } from "../../db/businesses";
import type { Database } from "../../db/client";
import {
  acceptMembership,
  findFirstMembership,
  findMembershipByInviteToken,
  findMembershipWithBusiness,
  insertMembership,
} from "../../db/memberships";
import { findRefreshToken, revokeRefreshToken, revokeSessionRefreshTokens, revokeUserRefreshTokens } from "../../db/refresh-tokens";
import { placeBusiness } from "../../db/shards";
import { findUser, findUserByEmail, insertUser } from "../../db/users";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { newId, newSerialPrefix } from "../../lib/ids";
import { hashPassword, verifyPassword } from "../../lib/passwords";
import type { GrantCache } from "./grants";
import { authGuessesFrom, type GuessLimiter, guarded, passwordGuessesFor } from "./guesses";
import { mintRefreshToken, newSignIn, type SignedIn, sessionFor } from "./session";
import type { AccessClaims, TokenConfig } from "./tokens";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const INVALID_LOGIN = "Invalid email or password";

/**
 * Creates the user, their business (Free plan, placed on one of `openShards`) and the owner
 * membership in one batch.
 */
export async function signUp(
  db: Database,
  config: TokenConfig,
  openShards: readonly string[],
  input: { email: string; password: string; business_name: string },
): Promise<SignedIn> {
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
  const refresh = await mintRefreshToken(db, newSignIn(user.id, businessId));
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
      return sessionFor(config, user, business, refresh);
    } catch (error) {
      const message = String(error);
      if (message.includes("serial_prefix") && attempt < 5) continue;
      // Two sign-ups for one email raced: the unique index let one through.
      if (message.includes("UNIQUE")) throw new ApiError("conflict", "An account with this email already exists");
      throw error;
    }
  }
}

/**
 * Signs in with email and password. Each try counts against the account and the client's IP
 * before the password is checked (see guesses.ts), so a burst of guesses waits like a series does
 * and, while an account waits, even its right password gets the same 429.
 */
export async function logIn(
  db: Database,
  limiter: GuessLimiter,
  config: TokenConfig,
  input: { email: string; password: string; business_id?: string },
  clientIp: string | undefined,
): Promise<SignedIn> {
  const email = normaliseEmail(input.email);
  const guesses = [...authGuessesFrom(clientIp), passwordGuessesFor(await sha256Hex(email))];
  const user = await guarded(limiter, guesses, async () => {
    const found = await findUserByEmail(db, email);
    // Always verify, even for an unknown email, so the answer and its timing do not differ.
    const valid = await verifyPassword(input.password, found?.passwordHash);
    if (!found || !valid) throw new ApiError("unauthorized", INVALID_LOGIN);
    return found;
  });

  const joined = input.business_id
    ? await findMembershipWithBusiness(db, user.id, input.business_id)
    : await findFirstMembership(db, user.id);
  if (!joined) throw new ApiError("forbidden", "This account is not a member of that business");

  const refresh = await mintRefreshToken(db, newSignIn(user.id, joined.business.id));
  await refresh.insert;
  return sessionFor(config, user, joined.business, refresh);
}

/** Refresh tokens are single-use: each refresh rotates it; reuse of a spent one revokes them all. */
export async function refreshSession(
  db: Database,
  limiter: GuessLimiter,
  config: TokenConfig,
  refreshToken: string,
  clientIp: string | undefined,
): Promise<SignedIn> {
  const stored = await guarded(limiter, authGuessesFrom(clientIp), async () => {
    const found = await findRefreshToken(db, await sha256Hex(refreshToken));
    if (!found || found.expiresAt <= new Date().toISOString()) throw new ApiError("unauthorized", "Invalid refresh token");
    return found;
  });
  if (stored.revokedAt) {
    await revokeUserRefreshTokens(db, stored.userId);
    throw new ApiError("unauthorized", "Invalid refresh token");
  }

  const [user, joined] = await Promise.all([findUser(db, stored.userId), findMembershipWithBusiness(db, stored.userId, stored.businessId)]);
  if (!user || !joined) throw new ApiError("unauthorized", "Invalid refresh token");

  // Tokens from before sign-ins had ids start one now.
  const next = await mintRefreshToken(db, { userId: user.id, businessId: joined.business.id, sessionId: stored.sessionId ?? newId("ses") });
  const [revoked] = await db.batch([revokeRefreshToken(db, stored.id), next.insert]);
  if (revoked.length === 0) {
    // A concurrent refresh spent it first; the token minted here must not survive.
    await revokeUserRefreshTokens(db, user.id);
    throw new ApiError("unauthorized", "Invalid refresh token");
  }
  return sessionFor(config, user, joined.business, next);
}

/**
 * Ends the sign-in the refresh token belongs to: its refresh tokens are revoked, and the user's
 * guard refuses its access tokens from the next request on, not when they expire.
 */
export async function logOut(db: Database, grants: GrantCache, config: TokenConfig, refreshToken: string): Promise<void> {
  const stored = await findRefreshToken(db, await sha256Hex(refreshToken));
  if (!stored) return;
  if (!stored.sessionId) {
    await revokeRefreshToken(db, stored.id);
    return;
  }
  await revokeSessionRefreshTokens(db, stored.sessionId);
  await grants.endSession(stored.userId, stored.sessionId, Date.now() + config.ttlSeconds * 1000);
}

const INVITATION_GONE = "Invitation not found, expired or already accepted";

/**
 * Accepting an invitation makes its email a member. Someone with an account accepts from their
 * own session (signed in as that email); anyone else creates the account by choosing a password.
 */
export async function acceptInvite(
  db: Database,
  grants: GrantCache,
  limiter: GuessLimiter,
  config: TokenConfig,
  input: { token: string; password?: string; signedIn?: AccessClaims },
  clientIp: string | undefined,
): Promise<SignedIn> {
  const invited = await guarded(limiter, authGuessesFrom(clientIp), async () => {
    const found = await findMembershipByInviteToken(db, await sha256Hex(input.token));
    const expired = !found?.membership.inviteExpiresAt || found.membership.inviteExpiresAt <= new Date().toISOString();
    if (!found || found.membership.userId || expired) throw new ApiError("not_found", INVITATION_GONE);
    return found;
  });

  const email = invited.membership.email;
  const existing = await findUserByEmail(db, email);
  let user: { id: string; email: string; passwordHash: string };
  if (input.signedIn) {
    const account = await findUser(db, input.signedIn.userId);
    if (!account || account.email !== email) throw new ApiError("forbidden", "This invitation is for another email address");
    user = account;
  } else if (existing) {
    throw new ApiError("unauthorized", `Sign in as ${email} and accept the invitation with your access token`);
  } else if (input.password === undefined) {
    throw new ApiError("validation_error", "Choose a password to create your account", {
      fields: [{ path: "password", message: "Required when the email has no account yet" }],
    });
  } else {
    user = { id: newId("usr"), email, passwordHash: await hashPassword(input.password) };
  }

  const refresh = await mintRefreshToken(db, newSignIn(user.id, invited.business.id));
  const activate = [acceptMembership(db, invited.membership.id, user.id), refresh.insert] as const;
  await (existing ? db.batch(activate) : db.batch([insertUser(db, user), ...activate]));
  // A user removed and invited back may still be remembered as no member.
  if (existing) await grants.forget({ userIds: [user.id] });
  const business = (await findBusiness(db, invited.business.id)) ?? invited.business;
  return sessionFor(config, user, business, refresh);
}
