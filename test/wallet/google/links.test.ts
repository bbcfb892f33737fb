import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { googleSaveUrl } from "../../../src/wallet/google/links";
import { passContextFor } from "../../support/wallet";

describe("without Google credentials", () => {
  it("offers no save link (the page hides the Google button)", async () => {
    const ctx = await passContextFor({ name: "Card", type: "loyalty" });
    expect(await googleSaveUrl(loadConfig({ ...env, GOOGLE_SERVICE_ACCOUNT_EMAIL: undefined }), ctx)).toBeNull();
    expect(await googleSaveUrl(loadConfig(env), ctx)).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
  });
});
