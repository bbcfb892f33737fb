import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CredentialGuard } from "../../src/durable/credential-guard";
import { bearer, keyAuth, proBusiness, request } from "../support/api";

describe("rate limits", () => {
  it("allows 60 requests a minute per key and answers the 61st with 429", async () => {
    const { liveKey } = await proBusiness();
    let last: Response | undefined;
    for (let i = 1; i <= 60; i++) {
      last = await request("/businesses/me", { headers: keyAuth(liveKey) });
      expect(last.status).toBe(200);
    }
    expect(last?.headers.get("x-ratelimit-limit")).toBe("60");
    expect(last?.headers.get("x-ratelimit-remaining")).toBe("0");

    const limited = await request("/businesses/me", { headers: keyAuth(liveKey) });
    expect(limited.status).toBe(429);
    expect((await limited.json<{ error: { code: string; status: number } }>()).error).toMatchObject({ code: "rate_limited", status: 429 });
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const reset = Number(limited.headers.get("x-ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("lets no more than 60 of 100 concurrent requests through", async () => {
    const { liveKey } = await proBusiness();
    const responses = await Promise.all(Array.from({ length: 100 }, () => request("/businesses/me", { headers: keyAuth(liveKey) })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
  });

  it("counts each key separately and gives dashboard users their own, larger allowance", async () => {
    const { session, liveKey, testKey } = await proBusiness();
    await Promise.all(Array.from({ length: 60 }, () => request("/businesses/me", { headers: keyAuth(liveKey) })));
    expect((await request("/businesses/me", { headers: keyAuth(liveKey) })).status).toBe(429);
    expect((await request("/businesses/me", { headers: keyAuth(testKey) })).status).toBe(200);
    const dashboard = await request("/businesses/me", { headers: bearer(session) });
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get("x-ratelimit-limit")).toBe("600");
  });

  it("slides: a burst at a window edge cannot pass twice the limit", async () => {
    const stub = env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`edge-${Date.now()}`));
    const start = 1_000_000_000_000;
    // 60 requests in the last second of one minute…
    for (let i = 0; i < 60; i++) expect((await stub.admit(60, undefined, start + 59_000 + i)).rate.allowed).toBe(true);
    // …leave nothing for the first seconds of the next one.
    expect((await stub.admit(60, undefined, start + 61_000)).rate.allowed).toBe(false);
    const blocked = await stub.admit(60, undefined, start + 118_000);
    expect(blocked.rate).toMatchObject({ allowed: false, retryAfter: 1 });
    // A minute after the burst, the window has slid past it.
    expect((await stub.admit(60, undefined, start + 119_001)).rate.allowed).toBe(true);
    await runInDurableObject(stub, async (_instance: CredentialGuard, state) => {
      const { count } = state.storage.sql.exec<{ count: number }>("SELECT COUNT(*) AS count FROM hits").one();
      expect(count).toBeLessThanOrEqual(60);
    });
  });
});
