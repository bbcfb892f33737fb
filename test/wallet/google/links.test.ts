import { env } from "cloudflare:test";
import { decodeJwt } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { sha256Hex } from "../../../src/lib/crypto";
import { googleClassImages, googleSaveUrl } from "../../../src/wallet/google/links";
import { createTemplate, issue, json, keyAuth, proBusiness, request } from "../../support/api";
import { fetchAsset, makePng, pixelAt, pngSize, solid, uploadImage } from "../../support/images";
import { pipelineIdle } from "../../support/pipeline";
import { answerGoogleTokens, recorded } from "../../support/recorder";
import { passContextFor, passContextOf } from "../../support/wallet";

/** The template's Google class images, as the wallets read the template (through one of its passes). */
async function classImages(businessId: string, key: string, templateId: string) {
  const pass = await issue(businessId, key, { template_id: templateId });
  return googleClassImages(env.API_ORIGIN, await passContextOf(pass.serial_number));
}

describe("without Google credentials", () => {
  it("offers no save link (the page hides the Google button)", async () => {
    const ctx = await passContextFor({ name: "Card", type: "loyalty" });
    expect(await googleSaveUrl(loadConfig({ ...env, GOOGLE_SERVICE_ACCOUNT_EMAIL: undefined }), ctx)).toBeNull();
    expect(await googleSaveUrl(loadConfig(env), ctx)).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
  });
});
describe("googleClassImages", () => {
  it("gives Google a square logo of at least 660×660 and a 1032×336 hero image, made from the uploads", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty" });
    const logo = makePng(960, 300, solid(0, 0, 255));
    const strip = makePng(2000, 700);
    await json(await uploadImage(businessId, liveKey, tpl.id, "logo", logo), 200);
    await json(await uploadImage(businessId, liveKey, tpl.id, "strip", strip), 200);

    const { logoUrl, heroImageUrl } = await classImages(businessId, liveKey, tpl.id);
    const version = async (png: Uint8Array) => (await sha256Hex(png)).slice(0, 12);
    expect(logoUrl).toBe(`https://api.passlite.test/assets/templates/${tpl.id}/google-logo.png?v=${await version(logo)}`);
    expect(heroImageUrl).toBe(`https://api.passlite.test/assets/templates/${tpl.id}/google-hero.png?v=${await version(strip)}`);

    const programLogo = await fetchAsset(logoUrl);
    const size = pngSize(programLogo);
    expect(size.width).toBe(size.height);
    expect(size.width).toBeGreaterThanOrEqual(660);
    // The logo sits inside the 15% margin Google's circular mask needs; the corners are transparent.
    expect(pixelAt(programLogo, size.width / 2, size.height / 2)).toEqual([0, 0, 255, 255]);
    expect(pixelAt(programLogo, Math.floor(size.width * 0.14), size.height / 2)[3]).toBe(0);
    expect(pixelAt(programLogo, 0, 0)[3]).toBe(0);
    expect(pngSize(await fetchAsset(heroImageUrl!))).toEqual({ width: 1032, height: 336 });
  });

  it("falls back to the uploaded icon, then to the generated one, and has no hero image without a strip", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "gift_card", colors: { background: "#204060" } });
    const generated = await classImages(businessId, liveKey, tpl.id);
    expect(generated).toEqual({
      logoUrl: "https://api.passlite.test/assets/icons/204060/google-icon.png",
      heroImageUrl: null,
    });
    const fallback = await fetchAsset(generated.logoUrl);
    expect(pngSize(fallback)).toEqual({ width: 660, height: 660 });
    expect(pixelAt(fallback, 0, 0)).toEqual([32, 64, 96, 255]);

    await json(await uploadImage(businessId, liveKey, tpl.id, "icon", makePng(200, 200)), 200);
    const { logoUrl } = await classImages(businessId, liveKey, tpl.id);
    expect(logoUrl).toMatch(new RegExp(`/assets/templates/${tpl.id}/google-icon.png\\?v=[0-9a-f]{12}$`));
    expect(pngSize(await fetchAsset(logoUrl))).toEqual({ width: 660, height: 660 });
  });
});

describe("save links", () => {
  const ANDROID = {
    "user-agent": "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
  };
  const jwtPayload = (link: string) => decodeJwt(link.slice("https://pay.google.com/gp/v/save/".length));

  it("stay under 2,000 characters whatever the design: they name the object, which the queue made through the REST API", async () => {
    const { businessId, liveKey } = await proBusiness();
    const long = (n: number, word: string) => `${word} `.repeat(n).slice(0, n).trim();
    const tpl = await createTemplate(businessId, liveKey, {
      name: long(100, "Extraordinarily"),
      type: "event_ticket",
      organization_name: long(100, "Magnificent"),
      description: long(200, "Description"),
      event: { name: long(100, "Festival"), venue: long(100, "Amphitheatre"), starts_at: "2027-07-01T18:00:00+02:00" },
      fields: {
        back: [
          { key: "terms", label: "Terms", value: "static", text: long(500, "Conditions") },
          { key: "seat", label: "Seat", value: "metadata", metadata_key: "seat" },
        ],
      },
    });
    const pass = await issue(businessId, liveKey, {
      template_id: tpl.id,
      customer_name: long(200, "Bartholomew"),
      metadata: { seat: long(100, "Balcony") },
    });
    const res = await request(pass.download_url, { headers: ANDROID, redirect: "manual" });
    expect(res.status).toBe(302);
    const link = res.headers.get("location")!;
    expect(link.length).toBeLessThan(2000);
    expect(jwtPayload(link).payload).toEqual({
      eventTicketObjects: [{ id: `${env.GOOGLE_ISSUER_ID}.${pass.serial_number}`, classId: `${env.GOOGLE_ISSUER_ID}.${tpl.id}` }],
    });
  });

  it("list each origin once, also when the app and the API share one", async () => {
    const ctx = await passContextFor({ name: "Card", type: "loyalty" });
    const origins = async (overrides: Record<string, string>) =>
      jwtPayload((await googleSaveUrl(loadConfig({ ...env, ...overrides }), ctx))!).origins;
    expect(await origins({})).toEqual(["https://app.passlite.test", "https://api.passlite.test"]);
    expect(await origins({ APP_ORIGIN: "http://localhost:8787", API_ORIGIN: "http://localhost:8787" })).toEqual(["http://localhost:8787"]);
  });
});

describe("Google objects made from the queue", () => {
  beforeAll(() => answerGoogleTokens());

  it("are offers for coupons: each pass an offerObject, its template an offerClass", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "10% off", type: "coupon" });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id, customer_name: "Ada" });
    await pipelineIdle();
    const patched = await recorded(`/walletobjects/v1/offerObject/${env.GOOGLE_ISSUER_ID}.${pass.serial_number}`);
    expect(patched.map((r) => r.method)).toEqual(["PATCH"]);
    expect(JSON.parse(patched[0]!.body)).toMatchObject({
      id: `${env.GOOGLE_ISSUER_ID}.${pass.serial_number}`,
      classId: `${env.GOOGLE_ISSUER_ID}.${tpl.id}`,
      state: "ACTIVE",
      textModulesData: [{ id: "field.holder", header: "Name", body: "Ada" }],
    });

    await json(
      await request(`/businesses/${businessId}/templates/${tpl.id}`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { name: "15% off" },
      }),
      200,
    );
    await pipelineIdle();
    const [classPatch] = await recorded(`/walletobjects/v1/offerClass/${env.GOOGLE_ISSUER_ID}.${tpl.id}`);
    expect(JSON.parse(classPatch!.body)).toMatchObject({ title: "15% off", provider: "Demo Cafe", redemptionChannel: "INSTORE" });
  });

  it("carry the template's other fields as texts, as people read them; a gift card's balance is Google's Money", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, {
      name: "Gift",
      type: "gift_card",
      currency: "GBP",
      expires_at: "2030-06-30T12:00:00Z",
      fields: {
        secondary: [{ key: "holder", label: "Name", value: "customer_name" }],
        back: [
          { key: "serial", label: "Card number", value: "serial_number" },
          { key: "top-up", label: "Last top-up", value: "metadata", metadata_key: "last_top_up" },
          { key: "until", label: "Valid until", value: "expires_at" },
        ],
      },
    });
    const pass = await issue(businessId, liveKey, {
      template_id: tpl.id,
      customer_name: "Ada",
      initial_balance: 70,
      metadata: { last_top_up: "2 May" },
    });
    await pipelineIdle();
    const [patch] = await recorded(`/walletobjects/v1/giftCardObject/${env.GOOGLE_ISSUER_ID}.${pass.serial_number}`);
    const object = JSON.parse(patch!.body);
    // The balance and the card number are Google's own fields on a gift card; the rest are texts.
    expect(object.balance).toEqual({ micros: "70000000", currencyCode: "GBP" });
    expect(object.textModulesData).toEqual([
      { id: "field.holder", header: "Name", body: "Ada" },
      { id: "field.top-up", header: "Last top-up", body: "2 May" },
      { id: "field.until", header: "Valid until", body: "30 Jun 2030" },
    ]);
  });
});
