import type { BusinessRow } from "../../db/businesses";
import type { Database } from "../../db/client";
import { insertRefreshToken } from "../../db/refresh-tokens";
import { sha256Hex } from "../../lib/crypto";
import { newId, randomToken } from "../../lib/ids";
import type { Plan } from "../../types";
import { issueAccessToken, type TokenConfig } from "./tokens";

const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface Session {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  user: { id: string; email: string };
  business: { id: string; name: string; plan: Plan };
}

/** A fresh refresh token: returns the secret and the insert that stores only its hash. */
export async function mintRefreshToken(db: Database, userId: string, businessId: string) {
  const token = `rt_${randomToken(32)}`;
  const insert = insertRefreshToken(db, {
    id: newId("rt"),
    userId,
    businessId,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS).toISOString(),
  });
  return { token, insert };
}

export async function sessionResponse(
  config: TokenConfig,
  user: { id: string; email: string },
  business: Pick<BusinessRow, "id" | "name" | "plan">,
  refreshToken: string,
): Promise<Session> {
  return {
    access_token: await issueAccessToken(config, { userId: user.id, businessId: business.id }),
    refresh_token: refreshToken,
    token_type: "Bearer",
    expires_in: config.ttlSeconds,
    user: { id: user.id, email: user.email },
    business: { id: business.id, name: business.name, plan: business.plan },
  };
}
