import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Config } from "../../config";
import { ApiError } from "../../lib/errors";

const ISSUER = "passlite";
const AUDIENCE = "passlite-api";
const encoder = new TextEncoder();

export interface AccessClaims {
  userId: string;
  businessId: string;
  /** The sign-in the token belongs to (`sid`): logging out ends it in the user's guard at once. */
  sessionId: string;
}

export interface TokenConfig {
  secret: string;
  ttlSeconds: number;
}

// The configuration guarantees at least 32 characters: HS256 needs a key as long as its hash.
const signingKey = (secret: string): Uint8Array => encoder.encode(secret);

export async function issueAccessToken(config: TokenConfig, claims: AccessClaims): Promise<string> {
  return new SignJWT({ bid: claims.businessId, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${config.ttlSeconds}s`)
    .sign(signingKey(config.secret));
}

/** Only HS256 with our issuer, audience and an expiry is accepted: `alg: none` and swaps fail. */
export async function verifyAccessToken(config: TokenConfig, token: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, signingKey(config.secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["exp", "sub", "iat"],
    });
    const { sub, bid, sid } = payload;
    if (typeof sub !== "string" || typeof bid !== "string" || typeof sid !== "string") throw new Error("missing subject");
    return { userId: sub, businessId: bid, sessionId: sid };
  } catch (error) {
    const expired = error instanceof joseErrors.JWTExpired;
    throw new ApiError("unauthorized", expired ? "Access token has expired" : "Invalid access token");
  }
}

export function tokenConfig(config: Config): TokenConfig {
  return { secret: config.JWT_SECRET, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS };
}
