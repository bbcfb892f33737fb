import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { sha256Hex } from "../../../src/lib/crypto";
import { googleClassImages, googleSaveUrl } from "../../../src/wallet/google/links";
import { createTemplate, issue, json, proBusiness } from "../../support/api";
import { fetchAsset, makePng, pixelAt, pngSize, solid, uploadImage } from "../../support/images";
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
