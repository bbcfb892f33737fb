import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { API, bearer, createKey, joinAs, json, keyAuth, proBusiness, request, signUp } from "../support/api";
import { createWebhook, receiver } from "../support/pipeline";

const hooks = (businessId: string) => `/businesses/${businessId}/webhooks`;

describe("webhook endpoints", () => {
  it("show the secret once, at creation; list, get, change and delete never show it", async () => {
    const { businessId, liveKey } = await proBusiness();
    const hook = receiver();
    const created = await createWebhook(businessId, liveKey, { url: hook.url, description: "Orders" });
    expect(created).toMatchObject({ url: hook.url, description: "Orders", status: "enabled", mode: "live" });
    expect(created.id).toMatch(/^wh_/);
    expect(created.events).toEqual([
      "pass.created",
      "pass.updated",
      "pass.redeemed",
      "pass.voided",
      "pass.scanned",
      "pass.installed",
      "pass.uninstalled",
    ]);
    // whsec_ and base64 of at least 24 bytes (192 bits).
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await json(await request(hooks(businessId), { headers: keyAuth(liveKey) }), 200);
    expect(listed.data.map((w: { id: string }) => w.id)).toEqual([created.id]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const one = await json(await request(`${hooks(businessId)}/${created.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(one).not.toHaveProperty("secret");

    const changed = await json(
      await request(`${hooks(businessId)}/${created.id}`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { events: ["pass.redeemed"], status: "disabled" },
      }),
      200,
    );
    expect(changed).toMatchObject({ events: ["pass.redeemed"], status: "disabled", disabled_reason: "Disabled by the merchant" });
    expect((await request(`${hooks(businessId)}/${created.id}`, { method: "PATCH", headers: keyAuth(liveKey), json: {} })).status).toBe(
      422,
    );

    expect((await request(`${hooks(businessId)}/${created.id}`, { method: "DELETE", headers: keyAuth(liveKey) })).status).toBe(204);
    expect((await request(`${hooks(businessId)}/${created.id}`, { headers: keyAuth(liveKey) })).status).toBe(404);
  });

  it("refuses unknown event names with 422", async () => {
    const { businessId, liveKey } = await proBusiness();
    const res = await request(hooks(businessId), {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { url: receiver().url, events: ["pass.exploded"] },
    });
    expect(res.status).toBe(422);
    expect((await res.json<{ error: { fields: Array<{ path: string }> } }>()).error.fields[0]!.path).toBe("events.0");
  });

  it("allow 1 live endpoint on Free and 20 on Pro; test endpoints do not count", async () => {
    const free = await signUp();
    const url = receiver().url;
    expect((await request(hooks(free.business.id), { method: "POST", headers: bearer(free), json: { url } })).status).toBe(201);
    const over = await request(hooks(free.business.id), { method: "POST", headers: bearer(free), json: { url } });
    expect(over.status).toBe(402);
    expect(await over.json()).toEqual({
      error: "pro_feature",
      feature: "webhooks",
      plan: "free",
      message: "Your Free plan includes 1 webhook. Upgrade to PRO to unlock more.",
    });
    const testMode = bearer(free, { "x-passlite-mode": "test" });
    expect((await request(hooks(free.business.id), { method: "POST", headers: testMode, json: { url } })).status).toBe(201);

    const { businessId, liveKey } = await proBusiness();
    const results = await Promise.all(
      Array.from({ length: 22 }, () =>
        request(hooks(businessId), { method: "POST", headers: keyAuth(liveKey), json: { url } }).then((r) => r.status),
      ),
    );
    expect(results.filter((s) => s === 201)).toHaveLength(20);
    expect(results.filter((s) => s === 402)).toHaveLength(2);
  });

  it("need webhooks:write; staff cannot manage them", async () => {
    const { session, businessId } = await proBusiness();
    const passesOnly = await createKey(session, { scopes: ["passes:read", "passes:write"] });
    expect((await request(hooks(businessId), { headers: keyAuth(passesOnly) })).status).toBe(403);
    const staff = await joinAs(session, "staff");
    expect((await request(hooks(businessId), { headers: bearer(staff) })).status).toBe(403);
  });

  it("refuse, in production, every URL that is not a public https host — at creation and on change", async () => {
    const { businessId, liveKey } = await proBusiness();
    const app = buildApp();
    const production = { ...env, ENVIRONMENT: "production" };
    const create = (url: string) =>
      app.request(
        `${API}${hooks(businessId)}`,
        { method: "POST", headers: { ...keyAuth(liveKey), "content-type": "application/json" }, body: JSON.stringify({ url }) },
        production,
        createExecutionContext(),
      );
    for (const url of [
      "http://127.0.0.1:8787/hook",
      "https://169.254.169.254/",
      "https://0x7f.1/",
      "https://[::ffff:10.0.0.1]/",
      "https://localhost/",
    ]) {
      const res = await create(url);
      expect(res.status, url).toBe(422);
      expect((await res.json<{ error: { fields: Array<{ path: string }> } }>()).error.fields[0]!.path).toBe("url");
    }
    const existing = await createWebhook(businessId, liveKey, { url: receiver().url });
    const change = await app.request(
      `${API}${hooks(businessId)}/${existing.id}`,
      {
        method: "PATCH",
        headers: { ...keyAuth(liveKey), "content-type": "application/json" },
        body: JSON.stringify({ url: "https://10.0.0.1/" }),
      },
      production,
      createExecutionContext(),
    );
    expect(change.status).toBe(422);
  });
});
