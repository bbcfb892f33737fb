import { env } from "cloudflare:test";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  CUSTOMER_TOKEN_TTL_SECONDS,
  checkCustomerToken,
  customerTokenKey,
  mintCustomerToken,
} from "../../../src/domain/customer-access/token";
import { base64UrlEncode } from "../../../src/lib/encoding";

const SECRET = env.JWT_SECRET;
const issuedAt = 1_900_000_000;
const claims = { email: "jane@example.com", generation: 2, jti: "em_test", issuedAt };
const at = (seconds: number) => (issuedAt + seconds) * 1000;

const encode = (value: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)));

describe("customer tokens", () => {
  it("carry the email, generation and jti, and are the same token every time they are minted from the same claims", async () => {
    const token = await mintCustomerToken(SECRET, claims);
    expect(await mintCustomerToken(SECRET, claims)).toBe(token);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(decodeJwt(token)).toEqual({
      iss: "passlite",
      aud: "customer",
      sub: "jane@example.com",
      jti: "em_test",
      gen: 2,
      iat: issuedAt,
      exp: issuedAt + 15 * 60,
    });
    expect(await checkCustomerToken(SECRET, token, at(1))).toEqual({ ok: true, claims, expiresAt: issuedAt + 900 });
  });

  it("work until 15 minutes after they were issued, and not a second longer", async () => {
    const token = await mintCustomerToken(SECRET, claims);
    expect((await checkCustomerToken(SECRET, token, at(CUSTOMER_TOKEN_TTL_SECONDS - 1))).ok).toBe(true);
    expect(await checkCustomerToken(SECRET, token, at(CUSTOMER_TOKEN_TTL_SECONDS))).toEqual({
      ok: false,
      reason: "expired",
      email: "jane@example.com",
    });
  });

  it("refuse a changed payload, a changed signature, another secret, alg none, and another audience", async () => {
    const token = await mintCustomerToken(SECRET, claims);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const otherEmail = `${header}.${encode({ ...decodeJwt(token), sub: "eve@example.com" })}.${signature}`;
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${payload}.`;
    const otherSecret = await mintCustomerToken("another-secret-that-is-long-enough-for-hs256", claims);
    const key = await customerTokenKey(SECRET);
    const sign = (audience: string, alg = "HS256") =>
      new SignJWT({ gen: 2 })
        .setProtectedHeader({ alg, typ: "JWT" })
        .setIssuer("passlite")
        .setAudience(audience)
        .setSubject("jane@example.com")
        .setJti("em_x")
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + 900)
        .sign(key);
    const dashboardAudience = await sign("passlite-api");
    const hs512 = await sign("customer", "HS512");
    for (const forged of [otherEmail, flipped, unsigned, otherSecret, dashboardAudience, hs512, "not-a-jwt", ""]) {
      expect(await checkCustomerToken(SECRET, forged, at(1)), forged).toEqual({ ok: false, reason: "invalid" });
    }
  });
});
