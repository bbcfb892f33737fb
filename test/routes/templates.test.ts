import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { solidColorPng as solidPng } from "../../src/wallet/apple/default-icon";
import { bearer, createTemplate, issue, json, keyAuth, proBusiness, request, signUp } from "../support/api";
import { fetchAsset, makeJpeg, makePng, pixelAt, pngSize, solid, uploadImage } from "../support/images";

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
      images: { icon: null, logo: null, strip: null, thumbnail: null, background: null },
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
  const asset = (templateId: string, file: string) => `https://api.passlite.test/assets/templates/${templateId}/${file}`;

  it("makes Apple's three icon densities and Google's square logo from one upload, stored in R2 and served publicly", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "coupon" });
    const res = await uploadImage(businessId, liveKey, tpl.id, "icon", makePng(300, 300, solid(200, 30, 30)));
    const updated = await json(res, 200);
    expect(updated.images.icon).toMatch(new RegExp(`/assets/templates/${tpl.id}/icon@3x.png\\?v=[0-9a-f]{12}$`));

    const expected = { "icon.png": 29, "icon@2x.png": 58, "icon@3x.png": 87, "google-icon.png": 660 };
    for (const [file, side] of Object.entries(expected)) {
      const stored = await env.IMAGES.get(`templates/${tpl.id}/${file}`);
      expect(stored?.httpMetadata?.contentType, file).toBe("image/png");
      const served = await fetchAsset(asset(tpl.id, file));
      expect(served).toEqual(new Uint8Array(await stored!.arrayBuffer()));
      expect(pngSize(served), file).toEqual({ width: side, height: side });
    }
    expect(pixelAt(await fetchAsset(asset(tpl.id, "icon.png")), 14, 14)).toEqual([200, 30, 30, 255]);
    const served = await request(updated.images.icon);
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("keeps the logo's aspect ratio within 160×50 points at each density, and accepts JPEG", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty" });
    await json(await uploadImage(businessId, liveKey, tpl.id, "logo", makeJpeg(1200, 300), "image/jpeg"), 200);
    expect(pngSize(await fetchAsset(asset(tpl.id, "logo.png")))).toEqual({ width: 160, height: 40 });
    expect(pngSize(await fetchAsset(asset(tpl.id, "logo@2x.png")))).toEqual({ width: 320, height: 80 });
    expect(pngSize(await fetchAsset(asset(tpl.id, "logo@3x.png")))).toEqual({ width: 480, height: 120 });
    expect(pngSize(await fetchAsset(asset(tpl.id, "google-logo.png")))).toEqual({ width: 660, height: 660 });
  });

  it("crops the strip to the pass style's area and makes Google's hero image; backgrounds only for event tickets", async () => {
    const { businessId, liveKey } = await proBusiness();
    const ticket = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket" });
    await json(await uploadImage(businessId, liveKey, ticket.id, "strip", makePng(1500, 600)), 200);
    expect(pngSize(await fetchAsset(asset(ticket.id, "strip.png")))).toEqual({ width: 375, height: 98 });
    expect(pngSize(await fetchAsset(asset(ticket.id, "strip@2x.png")))).toEqual({ width: 750, height: 196 });
    expect(pngSize(await fetchAsset(asset(ticket.id, "strip@3x.png")))).toEqual({ width: 1125, height: 294 });
    expect(pngSize(await fetchAsset(asset(ticket.id, "google-hero.png")))).toEqual({ width: 1032, height: 336 });
    const withBackground = await json(await uploadImage(businessId, liveKey, ticket.id, "background", makePng(600, 700)), 200);
    expect(withBackground.images.background).toMatch(/\/background@3x\.png\?v=/);
    expect(pngSize(await fetchAsset(asset(ticket.id, "background.png")))).toEqual({ width: 180, height: 220 });

    const coupon = await createTemplate(businessId, liveKey, { name: "Coupon", type: "coupon" });
    const refused = await json(await uploadImage(businessId, liveKey, coupon.id, "background", makePng(600, 700)), 422);
    expect(refused.error.message).toBe("A coupon template has no background image: Apple Wallet shows one only on event_ticket passes");
    expect(refused.error.fields).toEqual([{ path: "slot", message: refused.error.message }]);

    // A membership pass shows no strip, so its strip becomes only Google's hero image.
    const member = await createTemplate(businessId, liveKey, { name: "Members", type: "membership" });
    const withHero = await json(await uploadImage(businessId, liveKey, member.id, "strip", makePng(1032, 336)), 200);
    expect(withHero.images.strip).toMatch(new RegExp(`/assets/templates/${member.id}/google-hero.png\\?v=`));
    expect((await request(asset(member.id, "strip@3x.png"))).status).toBe(404);
  });

  it("refuses an image too small for @3x with a 422 naming the slot and the minimum size", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty" });
    const icon = await json(await uploadImage(businessId, liveKey, tpl.id, "icon", makePng(58, 58)), 422);
    expect(icon.error.message).toBe(
      "The icon image is too small: a loyalty template needs at least 87×87 pixels (Apple Wallet's @3x icon on storeCard passes is 87×87); this one is 58×58",
    );
    const logo = await json(await uploadImage(businessId, liveKey, tpl.id, "logo", makePng(320, 100)), 422);
    expect(logo.error.message).toBe(
      "The logo image is too small: a loyalty template needs at least 480 pixels wide or 150 pixels tall (Apple Wallet's @3x logo on storeCard passes fits in 480×150); this one is 320×100",
    );
    const ticket = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket" });
    const strip = await json(await uploadImage(businessId, liveKey, ticket.id, "strip", makePng(1125, 294)), 422);
    expect(strip.error.message).toBe(
      "The strip image is too small: an event_ticket template needs at least 1125×336 pixels (Apple Wallet's @3x strip on eventTicket passes is 1125×294, Google Wallet's hero image is 1032×336); this one is 1125×294",
    );
    expect(strip.error.fields).toEqual([{ path: "body", message: strip.error.message }]);
    expect(await env.IMAGES.head(`templates/${tpl.id}/icon.png`)).toBeNull();
  });

  it("rejects what is not a whole PNG or JPEG, non-square icons, more than 4 megapixels and files over 4 MB", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "coupon" });
    const put = (slot: string, body: Uint8Array) => uploadImage(businessId, liveKey, tpl.id, slot, body);
    const message = async (res: Response, status: number) => (await json(res, status)).error.message;
    expect(await message(await put("icon", new TextEncoder().encode("GIF89a not a png at all")), 422)).toBe(
      "The image must be a PNG or JPEG file, complete and undamaged",
    );
    const jpeg = makeJpeg(300, 300, (x, y) => [x % 256, y % 256, 0, 255]);
    expect(await message(await put("icon", jpeg.subarray(0, jpeg.length >> 1)), 422)).toBe(
      "The image could not be decoded; save it again as PNG or JPEG",
    );
    expect(await message(await put("icon", makePng(120, 100)), 422)).toBe("An icon image must be square; this one is 120×100");
    expect(await message(await put("strip", solidPng(2001, 2000, [0, 0, 0])), 422)).toBe(
      "Images may have at most 4 megapixels (such as 2000×2000); this one is 2001×2000",
    );
    const huge = new Uint8Array(4 * 1024 * 1024 + 1);
    huge.set(makePng(300, 300));
    expect(await message(await put("icon", huge), 413)).toBe("Images must be at most 4 MB; this one is 4097 KB");
    expect((await put("banner", makePng(300, 300))).status).toBe(422);
  });
});

describe("the generated icon", () => {
  it("is served by colour at each density for a template without one, so Google always has a logo", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty", colors: { background: "#102030" } });
    const sizes = { "icon.png": 29, "icon@2x.png": 58, "icon@3x.png": 87, "google-icon.png": 660 };
    for (const [file, side] of Object.entries(sizes)) {
      const png = await fetchAsset(`https://api.passlite.test/assets/icons/102030/${file}`);
      expect(png).toEqual(solidPng(side, side, [16, 32, 48]));
    }
    expect((await request("https://api.passlite.test/assets/icons/red/icon.png")).status).toBe(422);
    expect((await request("https://api.passlite.test/assets/icons/102030/logo.png")).status).toBe(422);
    expect((await request(`https://api.passlite.test/assets/templates/${tpl.id}/icon.png`)).status).toBe(404);
    expect((await request(`https://api.passlite.test/assets/templates/tpl_unknown/icon.png`)).status).toBe(404);
  });
});
