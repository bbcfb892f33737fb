import { env } from "cloudflare:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bearer, request, signUp, uniqueEmail } from "../support/api";

const secret = new TextEncoder().encode(env.JWT_SECRET);

describe("sign-up", () => {
  it("creates a user and a Free business and signs them in", async () => {
    const email = uniqueEmail();
    const res = await request("/auth/signup", {
      method: "POST",
      json: { email, password: "correct horse battery", business_name: "Demo Cafe" },
    });
    expect(res.status).toBe(201);
    const body = await res.json<Record<string, any>>();
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 900, user: { email }, business: { name: "Demo Cafe", plan: "free" } });
    expect(body.user.id).toMatch(/^usr_/);
    expect(body.business.id).toMatch(/^biz_/);
    expect(typeof body.access_token).toBe("string");
    expect(body.refresh_token).toMatch(/^rt_/);
  });

  it("refuses a second account for the same email, whatever its case", async () => {
    const email = uniqueEmail();
    await signUp({ email });
    const res = await request("/auth/signup", {
      method: "POST",
      json: { email: email.toUpperCase(), password: "another password", business_name: "X" },
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "conflict", message: "An account with this email already exists", status: 409 } });
  });

  it("lists every invalid field in a 422", async () => {
    const res = await request("/auth/signup", { method: "POST", json: { email: "not-an-email", password: "short" } });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; fields: Array<{ path: string }> } }>();
    expect(body.error.code).toBe("validation_error");
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(["business_name", "email", "password"]);
  });
});

describe("login", () => {
  it("signs in with the right password", async () => {
    const email = uniqueEmail();
    const session = await signUp({ email });
    const res = await request("/auth/login", { method: "POST", json: { email, password: "correct horse battery" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { id: session.user.id }, business: { id: session.business.id } });
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const email = uniqueEmail();
    await signUp({ email });
    const wrong = await request("/auth/login", { method: "POST", json: { email, password: "wrong password" } });
    const unknown = await request("/auth/login", { method: "POST", json: { email: uniqueEmail(), password: "wrong password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });
});

describe("refresh and logout", () => {
  it("rotates the refresh token and refuses the spent one", async () => {
    const session = await signUp();
    const first = await request("/auth/refresh", { method: "POST", json: { refresh_token: session.refresh_token } });
    expect(first.status).toBe(200);
    const next = await first.json<{ refresh_token: string; access_token: string }>();
    expect(next.refresh_token).not.toBe(session.refresh_token);

    const reuse = await request("/auth/refresh", { method: "POST", json: { refresh_token: session.refresh_token } });
    expect(reuse.status).toBe(401);
    // Reuse of a spent token is treated as theft: the whole family is revoked.
    const after = await request("/auth/refresh", { method: "POST", json: { refresh_token: next.refresh_token } });
    expect(after.status).toBe(401);
  });

  it("logout revokes the refresh token", async () => {
    const session = await signUp();
    expect((await request("/auth/logout", { method: "POST", json: { refresh_token: session.refresh_token } })).status).toBe(204);
    expect((await request("/auth/refresh", { method: "POST", json: { refresh_token: session.refresh_token } })).status).toBe(401);
  });
});

describe("access tokens", () => {
  const me = (token: string) => request("/businesses/me", { headers: { authorization: `Bearer ${token}` } });

  it("accept a valid token", async () => {
    const session = await signUp();
    expect((await request("/businesses/me", { headers: bearer(session) })).status).toBe(200);
  });

  it("refuse alg none, algorithm swaps, missing iss/aud and expiry", async () => {
    const session = await signUp();
    const claims = { bid: session.business.id };
    const base = () => new SignJWT(claims).setSubject(session.user.id).setIssuedAt();

    const none = new UnsecuredJWT(claims)
      .setSubject(session.user.id)
      .setIssuer("passlite")
      .setAudience("passlite-api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .encode();
    const hs512 = await base()
      .setProtectedHeader({ alg: "HS512" })
      .setIssuer("passlite")
      .setAudience("passlite-api")
      .setExpirationTime("5m")
      .sign(secret);
    const noIssuer = await base().setProtectedHeader({ alg: "HS256" }).setAudience("passlite-api").setExpirationTime("5m").sign(secret);
    const noAudience = await base().setProtectedHeader({ alg: "HS256" }).setIssuer("passlite").setExpirationTime("5m").sign(secret);
    const noExpiry = await base().setProtectedHeader({ alg: "HS256" }).setIssuer("passlite").setAudience("passlite-api").sign(secret);
    const expired = await base()
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("passlite")
      .setAudience("passlite-api")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    const otherSecret = await base()
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("passlite")
      .setAudience("passlite-api")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("x".repeat(40)));

    for (const token of [none, hs512, noIssuer, noAudience, noExpiry, expired, otherSecret, "garbage"]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("unauthorized");
    }
  });
});
