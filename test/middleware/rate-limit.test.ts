import { describe, expect, it } from "vitest";
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
});
