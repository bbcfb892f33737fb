import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/domain/api-keys";
import { bearer, createKey, keyAuth, request, setPlan, signUp } from "../support/api";

describe("API keys", () => {
  it("shows the key once, then only its prefix and last 4", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const res = await request(`/businesses/${session.business.id}/api-keys`, {
      method: "POST",
      headers: bearer(session),
      json: { name: "Till", mode: "live" },
    });
    expect(res.status).toBe(201);
    const created = await res.json<Record<string, any>>();
    expect(created.key).toMatch(/^pb_live_[0-9A-Za-z]{36}$/);
    expect(created).toMatchObject({ name: "Till", mode: "live", prefix: "pb_live_", last4: created.key.slice(-4), last_used_at: null });
    expect(created.scopes).toEqual(["passes:read", "passes:write", "scan", "templates:write", "webhooks:write"]);

    const list = await (await request(`/businesses/${session.business.id}/api-keys`, { headers: bearer(session) })).json<{ data: any[] }>();
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).not.toHaveProperty("key");
    expect(JSON.stringify(list)).not.toContain(created.key);
  });

  it("stores only the SHA-256 of the key", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const key = await createKey(session, { mode: "test" });
    expect(key).toMatch(/^pb_test_/);
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE business_id = ?")
      .bind(session.business.id)
      .first<Record<string, string>>();
    expect(row?.key_hash).toBe(await hashApiKey(key));
    expect(Object.values(row ?? {})).not.toContain(key);
  });

  it("answers 402 api_access for a key whose business is back on Free, and works once on Pro again", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const key = await createKey(session);
    await setPlan(session.business.id, "free");
    const free = await request("/businesses/me", { headers: keyAuth(key) });
    expect(free.status).toBe(402);
    const body = await free.json<Record<string, string>>();
    expect(body).toEqual({ error: "pro_feature", feature: "api_access", plan: "free", message: expect.stringContaining("PRO feature") });

    await setPlan(session.business.id, "pro");
    const pro = await request("/businesses/me", { headers: keyAuth(key) });
    expect(pro.status).toBe(200);
    expect(await pro.json()).toMatchObject({ id: session.business.id, plan: "pro" });
  });

  it("fails on the very next request after revocation", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const key = await createKey(session);
    expect((await request("/businesses/me", { headers: keyAuth(key) })).status).toBe(200);

    const [{ id }] = (
      await (
        await request(`/businesses/${session.business.id}/api-keys`, { headers: bearer(session) })
      ).json<{ data: Array<{ id: string }> }>()
    ).data as [{ id: string }];
    expect(
      (await request(`/businesses/${session.business.id}/api-keys/${id}`, { method: "DELETE", headers: bearer(session) })).status,
    ).toBe(204);

    const after = await request("/businesses/me", { headers: keyAuth(key) });
    expect(after.status).toBe(401);
    expect(
      (await request(`/businesses/${session.business.id}/api-keys/${id}`, { method: "DELETE", headers: bearer(session) })).status,
    ).toBe(404);
  });

  it("rejects malformed, mistyped and unknown keys with 401", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const key = await createKey(session);
    const flipped = key.slice(0, 12) + (key[12] === "a" ? "b" : "a") + key.slice(13);
    for (const bad of ["", "nonsense", flipped, key.replace("pb_live_", "pb_test_")]) {
      const res = await request("/businesses/me", { headers: keyAuth(bad) });
      expect(res.status).toBe(401);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("unauthorized");
    }
  });

  it("cannot manage keys with an API key, and validates scopes", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const key = await createKey(session);
    const byKey = await request(`/businesses/${session.business.id}/api-keys`, {
      method: "POST",
      headers: keyAuth(key),
      json: { name: "x", mode: "live" },
    });
    expect(byKey.status).toBe(403);
    const badScope = await request(`/businesses/${session.business.id}/api-keys`, {
      method: "POST",
      headers: bearer(session),
      json: { name: "x", mode: "live", scopes: ["everything"] },
    });
    expect(badScope.status).toBe(422);
    const scanOnly = await request(`/businesses/${session.business.id}/api-keys`, {
      method: "POST",
      headers: bearer(session),
      json: { name: "Door", mode: "live", scopes: ["scan"] },
    });
    expect((await scanOnly.json<{ scopes: string[] }>()).scopes).toEqual(["scan"]);
  });
});
