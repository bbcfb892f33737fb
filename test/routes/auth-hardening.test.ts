import { describe, expect, it } from "vitest";
import { bearer, createKey, keyAuth, proBusiness, request, setPlan, signUp, uniqueEmail } from "../support/api";

/** A client address of its own per test, so tests do not share IP throttles. */
const anIp = () => `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;
const PASSWORD = "correct horse battery";
const login = (email: string, password: string, ip: string) =>
  request("/auth/login", { method: "POST", headers: { "cf-connecting-ip": ip }, json: { email, password } });

describe("password guessing", () => {
  it("after 5 wrong passwords the account waits, and while it waits even the right password gets 429", async () => {
    const email = uniqueEmail();
    await signUp({ email });
    const ip = anIp();
    for (let i = 0; i < 6; i++) expect((await login(email, `wrong ${i}`, ip)).status).toBe(401);

    const right = await login(email, PASSWORD, ip);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await right.json()).toMatchObject({ error: { code: "rate_limited", status: 429 } });
    // Another address is no way round it: the account itself waits.
    expect((await login(email, PASSWORD, anIp())).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await login(email, PASSWORD, ip)).status).toBe(200);
    // The right password cleared the account's count: five free tries again.
    for (let i = 0; i < 5; i++) expect((await login(email, `wrong ${i}`, ip)).status).toBe(401);
  });

  it("a burst of concurrent guesses is judged no faster than a series", async () => {
    const email = uniqueEmail();
    await signUp({ email });
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => login(email, `guess ${i}`, anIp())));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(19);
  });

  it("throttles one address guessing across many accounts, and unknown emails like known ones", async () => {
    const ip = anIp();
    for (let i = 0; i < 21; i++) expect((await login(uniqueEmail("nobody"), "guess", ip)).status).toBe(401);
    const refused = await login(uniqueEmail("nobody"), "guess", ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).not.toBeNull();
  });

  it("refresh tokens and invitation tokens are throttled per address too", async () => {
    const ip = anIp();
    const refresh = () =>
      request("/auth/refresh", { method: "POST", headers: { "cf-connecting-ip": ip }, json: { refresh_token: "rt_guess" } });
    for (let i = 0; i < 21; i++) expect((await refresh()).status).toBe(401);
    expect((await refresh()).status).toBe(429);
    const accept = await request("/auth/accept-invite", {
      method: "POST",
      headers: { "cf-connecting-ip": ip },
      json: { token: "inv_guess", password: "a new password" },
    });
    expect(accept.status).toBe(429);
  });

  it("invalid API keys from one address get 429 after 20, while valid keys from it keep working", async () => {
    const { businessId, liveKey } = await proBusiness();
    const ip = anIp();
    const me = (key: string) => request("/businesses/me", { headers: keyAuth(key, { "cf-connecting-ip": ip }) });
    const unknown = `${liveKey.slice(0, -6)}AAAAAA`;
    for (let i = 0; i < 21; i++) expect((await me(i % 2 ? unknown : "pb_live_not_a_key")).status).toBe(401);
    const refused = await me(unknown);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect((await me(liveKey)).status).toBe(200);
    expect(businessId).toMatch(/^biz_/);
  });
});

describe("sessions", () => {
  it("logout stops the session's access token at once, and leaves the user's other sign-ins alone", async () => {
    const email = uniqueEmail();
    const first = await signUp({ email });
    const second = await (await login(email, PASSWORD, anIp())).json<typeof first>();
    expect((await request("/businesses/me", { headers: bearer(first) })).status).toBe(200);

    expect((await request("/auth/logout", { method: "POST", json: { refresh_token: first.refresh_token } })).status).toBe(204);
    const after = await request("/businesses/me", { headers: bearer(first) });
    expect(after.status).toBe(401);
    expect((await request("/auth/refresh", { method: "POST", json: { refresh_token: first.refresh_token } })).status).toBe(401);
    expect((await request("/businesses/me", { headers: bearer(second) })).status).toBe(200);
  });

  it("logout ends the tokens refreshed from the same sign-in too", async () => {
    const session = await signUp();
    const refreshed = await (await request("/auth/refresh", { method: "POST", json: { refresh_token: session.refresh_token } })).json<
      typeof session
    >();
    expect((await request("/auth/logout", { method: "POST", json: { refresh_token: refreshed.refresh_token } })).status).toBe(204);
    expect((await request("/businesses/me", { headers: bearer(session) })).status).toBe(401);
    expect((await request("/businesses/me", { headers: bearer(refreshed) })).status).toBe(401);
  });
});

describe("API keys on the Free plan", () => {
  it("creating one answers the reference's 402 pro_feature, and nothing is created", async () => {
    const session = await signUp();
    const res = await request(`/businesses/${session.business.id}/api-keys`, {
      method: "POST",
      headers: bearer(session),
      json: { name: "Till", mode: "live" },
    });
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({ error: "pro_feature", feature: "api_access" });
    const list = await (await request(`/businesses/${session.business.id}/api-keys`, { headers: bearer(session) })).json<{
      data: unknown[];
    }>();
    expect(list.data).toEqual([]);

    await setPlan(session.business.id, "pro");
    expect(await createKey(session)).toMatch(/^pb_live_/);
  });
});
