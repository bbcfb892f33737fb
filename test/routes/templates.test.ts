import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { solidColorPng as solidPng } from "../../src/wallet/apple/default-icon";
import { bearer, createTemplate, issue, json, keyAuth, proBusiness, request, signUp } from "../support/api";

describe("templates", () => {
  it("creates a template from just a name and a type, with sensible defaults", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Coffee card", type: "loyalty", stamp_goal: 8 });
    expect(tpl.id).toMatch(/^tpl_/);
    expect(tpl).toMatchObject({
      name: "Coffee card",
      type: "loyalty",
      status: "active",
      mode: "live",
      stamp_goal: 8,
      currency: null,
      barcode_format: "qr",
      scan_security: { signed_barcodes: false, cooldown_seconds: null, auto_stamp: false },
      images: { icon: null, logo: null, strip: null },
    });
    expect(tpl.fields.primary[0]).toMatchObject({ value: "stamps" });

    const gift = await createTemplate(businessId, liveKey, { name: "Gift", type: "gift_card" });
    expect(gift.currency).toBe("GBP");
    const ticket = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket" });
    expect(ticket.scan_security.cooldown_seconds).toBe(0);
  });

  it("refuses settings that do not fit the type, and bad cooldowns", async () => {
    const { businessId, liveKey } = await proBusiness();
    const cases = [
      { name: "x", type: "event_ticket", stamp_goal: 5 },
      { name: "x", type: "loyalty", currency: "EUR" },
      { name: "x", type: "coupon", event: { name: "Gig" } },
      { name: "x", type: "loyalty", scan_security: { cooldown_seconds: 30 } },
      { name: "x", type: "gift_card", fields: { primary: [{ key: "s", label: "Stamps", value: "stamps" }] } },
      { name: "x", type: "loyalty", expires_at: "2030-01-01T00:00:00Z", expires_after_days: 30 },
      { name: "x", type: "hovercraft" },
    ];
    for (const body of cases) {
      const res = await request(`/businesses/${businessId}/templates`, { method: "POST", headers: keyAuth(liveKey), json: body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
  });

  it("gets, lists, patches (nested objects merge) and deletes", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty", colors: { background: "#000000" } });
    const patched = await json(
      await request(`/businesses/${businessId}/templates/${tpl.id}`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { name: "Card 2", colors: { foreground: "#ffffff" }, scan_security: { cooldown_seconds: 300 } },
      }),
      200,
    );
    expect(patched).toMatchObject({
      name: "Card 2",
      colors: { background: "#000000", foreground: "#ffffff" },
      scan_security: { cooldown_seconds: 300, signed_barcodes: false },
    });
    expect((await json(await request(`/businesses/${businessId}/templates/${tpl.id}`, { headers: keyAuth(liveKey) }), 200)).name).toBe(
      "Card 2",
    );
    const page = await json(await request(`/businesses/${businessId}/templates?limit=1`, { headers: keyAuth(liveKey) }), 200);
    expect(page).toMatchObject({ data: [{ id: tpl.id }], has_more: false, next_cursor: null });

    const deleted = await json(
      await request(`/businesses/${businessId}/templates/${tpl.id}`, { method: "DELETE", headers: keyAuth(liveKey) }),
      200,
    );
    expect(deleted.status).toBe("deleted");
    expect((await request(`/businesses/${businessId}/templates/${tpl.id}`, { headers: keyAuth(liveKey) })).status).toBe(404);
  });

  it("archives a template that has passes: no new passes, existing ones keep working", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty", stamp_goal: 5 });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id });
    const archived = await json(
      await request(`/businesses/${businessId}/templates/${tpl.id}`, { method: "DELETE", headers: keyAuth(liveKey) }),
      200,
    );
    expect(archived.status).toBe("archived");
    const refused = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: tpl.id },
    });
    expect(refused.status).toBe(409);
    expect((await request(`/businesses/${businessId}/passes/${pass.id}/stamp`, { method: "POST", headers: keyAuth(liveKey) })).status).toBe(
      200,
    );
  });

  it("limits Free businesses to one live template (test mode does not count)", async () => {
    const session = await signUp();
    const biz = session.business.id;
    const create = (headers: Record<string, string>) =>
      request(`/businesses/${biz}/templates`, { method: "POST", headers, json: { name: "T", type: "coupon" } });
    expect((await create(bearer(session))).status).toBe(201);
    const second = await create(bearer(session));
    expect(second.status).toBe(402);
    expect(await second.json()).toMatchObject({ error: "pro_feature", feature: "templates", plan: "free" });
    expect((await create(bearer(session, { "x-passlite-mode": "test" }))).status).toBe(201);
  });

  it("needs templates:write, which staff and scan-only keys lack", async () => {
    const { session, businessId } = await proBusiness();
    const scanKey = await json(
      await request(`/businesses/${businessId}/api-keys`, {
        method: "POST",
        headers: bearer(session),
        json: { name: "Door", mode: "live", scopes: ["scan"] },
      }),
      201,
    );
    const res = await request(`/businesses/${businessId}/templates`, {
      method: "POST",
      headers: keyAuth(scanKey.key),
      json: { name: "T", type: "coupon" },
    });
    expect(res.status).toBe(403);
  });
});

describe("template images", () => {
  it("stores a valid PNG in R2 and serves it back publicly", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "coupon" });
    const png = solidPng(87, 87, [200, 30, 30]);
    const res = await request(`/businesses/${businessId}/templates/${tpl.id}/images/icon`, {
      method: "PUT",
      headers: keyAuth(liveKey, { "content-type": "image/png" }),
      body: png,
    });
    const updated = await json(res, 200);
    expect(updated.images.icon).toMatch(new RegExp(`/assets/templates/${tpl.id}/icon.png\\?v=`));
    expect(await env.IMAGES.head(`templates/${tpl.id}/icon.png`)).not.toBeNull();

    const served = await request(updated.images.icon);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it("rejects non-PNGs, wrong dimensions and files over 1 MB", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "coupon" });
    const put = (slot: string, body: Uint8Array) =>
      request(`/businesses/${businessId}/templates/${tpl.id}/images/${slot}`, {
        method: "PUT",
        headers: keyAuth(liveKey, { "content-type": "image/png" }),
        body,
      });
    expect((await put("icon", new TextEncoder().encode("GIF89a not a png at all"))).status).toBe(422);
    expect((await put("icon", solidPng(60, 40, [0, 0, 0]))).status).toBe(422);
    expect((await put("logo", solidPng(800, 100, [0, 0, 0]))).status).toBe(422);
    const huge = new Uint8Array(1024 * 1024 + 1);
    huge.set(solidPng(29, 29, [0, 0, 0]));
    expect((await put("icon", huge)).status).toBe(413);
    expect((await put("banner", solidPng(29, 29, [0, 0, 0]))).status).toBe(422);
  });
});

describe("the generated icon", () => {
  it("is served by colour for a template without one, so Google always has a logo", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty", colors: { background: "#102030" } });
    const res = await request("https://api.passlite.test/assets/icons/102030.png");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = new Uint8Array(await res.arrayBuffer());
    expect(png).toEqual(solidPng(58, 58, [16, 32, 48]));
    expect((await request("https://api.passlite.test/assets/icons/red.png")).status).toBe(422);
    expect((await request(`https://api.passlite.test/assets/templates/${tpl.id}/icon.png`)).status).toBe(404);
    expect((await request(`https://api.passlite.test/assets/templates/tpl_unknown/icon.png`)).status).toBe(404);
  });
});
