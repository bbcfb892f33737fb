import type { BusinessRow } from "../../db/businesses";
import type { Database } from "../../db/client";
import { insertRefreshToken } from "../../db/refresh-tokens";
import { sha256Hex } from "../../lib/crypto";
import { newId, randomToken } from "../../lib/ids";
import type { Plan } from "../../types";
import { issueAccessToken, type TokenConfig } from "./tokens";

const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A signed-in user: the token pair, who, and which business; routes shape it for the API. */
export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  user: { id: string; email: string };
  business: { id: string; name: string; plan: Plan };
}

/** One sign-in of a user into a business: its refresh tokens rotate, its id stays. */
export interface SignIn {
  userId: string;
  businessId: string;
  sessionId: string;
}

export const newSignIn = (userId: string, businessId: string): SignIn => ({ userId, businessId, sessionId: newId("ses") });

/** A fresh refresh token of the sign-in: returns the secret and the insert that stores only its hash. */
export async function mintRefreshToken(db: Database, signIn: SignIn) {
  const token = `rt_${randomToken(32)}`;
  const insert = insertRefreshToken(db, {
    id: newId("rt"),
    userId: signIn.userId,
    businessId: signIn.businessId,
    sessionId: signIn.sessionId,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS).toISOString(),
  });
  return { token, insert, sessionId: signIn.sessionId };
}

/** The access token for the sign-in, beside its refresh token. */
export async function sessionFor(
  config: TokenConfig,
  user: { id: string; email: string },
  business: Pick<BusinessRow, "id" | "name" | "plan">,
  refresh: { token: string; sessionId: string },
): Promise<SignedIn> {
  return {
    accessToken: await issueAccessToken(config, { userId: user.id, businessId: business.id, sessionId: refresh.sessionId }),
    refreshToken: refresh.token,
    expiresInSeconds: config.ttlSeconds,
    user: { id: user.id, email: user.email },
    business: { id: business.id, name: business.name, plan: business.plan },
  };
}
