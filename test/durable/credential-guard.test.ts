import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashApiKey } from "../../src/domain/api-keys";
import type { CredentialGuard } from "../../src/durable/credential-guard";
import { bearer, createKey, json, keyAuth, proBusiness, request, type Session, setPlan, signUp } from "../support/api";

const guardOfKey = async (key: string) => env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`key:${await hashApiKey(key)}`));

const me = (headers: Record<string, string>) => request("/businesses/me", { headers });

describe("a credential's guard holds its grant", () => {
  it("reads a key's grant from D1 once, however many first requests arrive together", async () => {
    const { liveKey } = await proBusiness();
    const responses = await Promise.all(Array.from({ length: 10 }, () => me(keyAuth(liveKey))));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await me(keyAuth(liveKey));
    await runInDurableObject(await guardOfKey(liveKey), (guard: CredentialGuard) => {
      expect(guard.grantLoads).toBe(1);
    });
  });

  it("fails a revoked key on its very next request", async () => {
    const { session, liveKey } = await proBusiness();
    expect((await me(keyAuth(liveKey))).status).toBe(200);
    const keys = await json<{ data: Array<{ id: string; last4: string }> }>(
      await request(`/businesses/${session.business.id}/api-keys`, { headers: bearer(session) }),
      200,
    );
    const id = keys.data.find((k) => liveKey.endsWith(k.last4))!.id;
    expect(
      (await request(`/businesses/${session.business.id}/api-keys/${id}`, { method: "DELETE", headers: bearer(session) })).status,
    ).toBe(204);

    const after = await me(keyAuth(liveKey));
    expect(after.status).toBe(401);
    expect((await after.json<{ error: { message: string } }>()).error.message).toBe("Invalid API key");
  });

  it("applies a narrowed scope from the key's very next request", async () => {
    const { session, businessId } = await proBusiness();
    const key = await createKey(session, { name: "Door" });
    const createTemplate = () =>
      request(`/businesses/${businessId}/templates`, { method: "POST", headers: keyAuth(key), json: { name: "Coupon", type: "coupon" } });
    expect((await createTemplate()).status).toBe(201);
    const keys = await json<{ data: Array<{ id: string; name: string }> }>(
      await request(`/businesses/${businessId}/api-keys`, { headers: bearer(session) }),
      200,
    );
    const id = keys.data.find((k) => k.name === "Door")!.id;
    const updated = await json<{ scopes: string[]; name: string }>(
      await request(`/businesses/${businessId}/api-keys/${id}`, {
        method: "PATCH",
        headers: bearer(session),
        json: { name: "Door scanner", scopes: ["passes:read", "scan"] },
      }),
      200,
    );
    expect(updated).toMatchObject({ name: "Door scanner", scopes: ["passes:read", "scan"] });

    const refused = await createTemplate();
    expect(refused.status).toBe(403);
    expect((await refused.json<{ error: { message: string } }>()).error.message).toBe(
      "This API key does not have the templates:write permission",
    );
    expect((await request(`/businesses/${businessId}/passes`, { headers: keyAuth(key) })).status).toBe(200);
  });

  it("refuses an empty key update with 422 and an unknown key with 404", async () => {
    const { session, businessId } = await proBusiness();
    const keys = await json<{ data: Array<{ id: string }> }>(
      await request(`/businesses/${businessId}/api-keys`, { headers: bearer(session) }),
      200,
    );
    const empty = await request(`/businesses/${businessId}/api-keys/${keys.data[0]!.id}`, {
      method: "PATCH",
      headers: bearer(session),
      json: {},
    });
    expect(empty.status).toBe(422);
    expect((await empty.json<{ error: { message: string } }>()).error.message).toMatch(/^Nothing to update/);
    const unknown = await request(`/businesses/${businessId}/api-keys/key_nope`, {
      method: "PATCH",
      headers: bearer(session),
      json: { name: "x" },
    });
    expect(unknown.status).toBe(404);
  });

  it("answers 402 from a key's very next request once its business is downgraded to Free", async () => {
    const { businessId, liveKey } = await proBusiness();
    expect((await me(keyAuth(liveKey))).status).toBe(200);
    await setPlan(businessId, "free");
    const after = await me(keyAuth(liveKey));
    expect(after.status).toBe(402);
    expect(await after.json()).toMatchObject({ error: "pro_feature", feature: "api_access", plan: "free" });
  });

  it("holds members to a downgraded plan from their very next request", async () => {
    const session = await signUp();
    await setPlan(session.business.id, "pro");
    const template = (name: string) =>
      request(`/businesses/${session.business.id}/templates`, { method: "POST", headers: bearer(session), json: { name, type: "coupon" } });
    expect((await template("First")).status).toBe(201);
    expect((await template("Second")).status).toBe(201);
    await setPlan(session.business.id, "free");
    const third = await template("Third");
    expect(third.status).toBe(402);
    expect(await third.json()).toMatchObject({ error: "pro_feature", feature: "templates", plan: "free" });
  });

  it("fails a removed member on their very next request", async () => {
    const owner = await signUp();
    const staff = await signUp();
    const invited = await json<{ id: string; invite_token: string }>(
      await request(`/businesses/${owner.business.id}/members`, {
        method: "POST",
        headers: bearer(owner),
        json: { email: staff.user.email, role: "staff" },
      }),
      201,
    );
    const inOwners = await json<Session>(
      await request("/auth/accept-invite", { method: "POST", headers: bearer(staff), json: { token: invited.invite_token } }),
      200,
    );
    expect((await me(bearer(inOwners))).status).toBe(200);

    const removed = await request(`/businesses/${owner.business.id}/members/${invited.id}`, { method: "DELETE", headers: bearer(owner) });
    expect(removed.status).toBe(204);
    const after = await me(bearer(inOwners));
    expect(after.status).toBe(401);
    expect((await after.json<{ error: { message: string } }>()).error.message).toBe(
      "Access token no longer grants access to this business",
    );
    // Their own business is untouched.
    expect((await me(bearer(staff))).status).toBe(200);
  });

  it("keeps last_used_at fresh without a D1 write per request", async () => {
    const { session, businessId, liveKey } = await proBusiness();
    for (let i = 0; i < 3; i++) expect((await me(keyAuth(liveKey))).status).toBe(200);
    const keys = await json<{ data: Array<{ last4: string; last_used_at: string | null }> }>(
      await request(`/businesses/${businessId}/api-keys`, { headers: bearer(session) }),
      200,
    );
    expect(keys.data.find((k) => liveKey.endsWith(k.last4))!.last_used_at).not.toBeNull();
  });
});

describe("read-your-writes across requests", () => {
  it("remembers where a credential's writes landed, so its next reads start from there", async () => {
    const { businessId, liveKey } = await proBusiness();
    const guard = await guardOfKey(liveKey);
    const credential = { kind: "api_key" as const, keyHash: await hashApiKey(liveKey) };
    const before = await guard.admit({ credential, limit: 1000 });
    expect(before.refused).toBeUndefined();
    const shard = before.refused === undefined ? before.grant.shard : "";

    const created = await request(`/businesses/${businessId}/templates`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { name: "Coupon", type: "coupon" },
    });
    expect(created.status).toBe(201);
    const after = await guard.admit({ credential, limit: 1000 });
    if (after.refused !== undefined) throw new Error("refused");
    expect(after.bookmarks[shard]).toEqual(expect.any(String));
    // Bookmarks only move forward.
    await guard.settle({ bookmarks: { [shard]: "0" } });
    const again = await guard.admit({ credential, limit: 1000 });
    expect(again.refused === undefined && again.bookmarks[shard]).toBe(after.bookmarks[shard]);
  });
});
