import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { hmacSha256 } from "../../lib/crypto";

/** The audience customer tokens carry, and the only one they are accepted for. */
export const CUSTOMER_AUDIENCE = "customer";
const ISSUER = "passlite";
/** A sign-in link works for 15 minutes from the moment it was asked for. */
export const CUSTOMER_TOKEN_TTL_SECONDS = 15 * 60;

export interface CustomerTokenClaims {
  /** The normalised email: the subject. */
  email: string;
  /** The email's generation when the token was minted; logging out everywhere moves it on. */
  generation: number;
  /** Unique per token: the email delivery that carried it. */
  jti: string;
  /** Unix seconds. */
  issuedAt: number;
}

export type CustomerTokenCheck =
  | { ok: true; claims: CustomerTokenClaims; expiresAt: number }
  /** Signed by us but past its `exp`: the email it was for, to offer a new link. */
  | { ok: false; reason: "expired"; email: string | null }
  | { ok: false; reason: "invalid" };

/**
 * A key of their own for customer tokens, derived from JWT_SECRET: a customer token can never
 * pass as a dashboard token (or the reverse) even if an audience check were forgotten somewhere.
 */
export const customerTokenKey = (secret: string) => hmacSha256(secret, "passlite customer tokens v1");

/**
 * Mints the token a sign-in link carries: HS256, audience `customer`, subject the email, and the
 * generation. The same claims always make the same token, so retrying an email's send repeats
 * it exactly (and the provider's idempotency key sees the same request).
 */
export async function mintCustomerToken(secret: string, claims: CustomerTokenClaims): Promise<string> {
  return new SignJWT({ gen: claims.generation })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(CUSTOMER_AUDIENCE)
    .setSubject(claims.email)
    .setJti(claims.jti)
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.issuedAt + CUSTOMER_TOKEN_TTL_SECONDS)
    .sign(await customerTokenKey(secret));
}

/**
 * Checks signature (HS256 only: `alg: none` and algorithm swaps fail), issuer, audience, type,
 * expiry and age at `now`. Whether the generation is still current is the caller's question: it
 * needs the database.
 */
export async function checkCustomerToken(secret: string, token: string, now = Date.now()): Promise<CustomerTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, await customerTokenKey(secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: CUSTOMER_AUDIENCE,
      typ: "JWT",
      maxTokenAge: CUSTOMER_TOKEN_TTL_SECONDS,
      requiredClaims: ["exp", "iat", "sub", "jti", "gen"],
      currentDate: new Date(now),
    });
    const { sub, jti, gen, iat, exp } = payload;
    if (typeof sub !== "string" || typeof jti !== "string" || typeof iat !== "number" || typeof exp !== "number") {
      return { ok: false, reason: "invalid" };
    }
    if (typeof gen !== "number" || !Number.isSafeInteger(gen) || gen < 0) return { ok: false, reason: "invalid" };
    return { ok: true, claims: { email: sub, generation: gen, jti, issuedAt: iat }, expiresAt: exp };
  } catch (error) {
    // jose authenticates the token before it validates claims, so an expired token's subject is ours.
    if (error instanceof joseErrors.JWTExpired) {
      return { ok: false, reason: "expired", email: typeof error.payload.sub === "string" ? error.payload.sub : null };
    }
    return { ok: false, reason: "invalid" };
  }
}
