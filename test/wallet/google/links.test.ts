import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { createDatabase } from "../../../src/db/client";
import { loadPassContextBySerial } from "../../../src/wallet/context";
import { googleSaveUrl } from "../../../src/wallet/google/links";
import { businessWithTemplates, createTemplate, issue } from "../../support/api";

async function context(templateBody: Record<string, unknown>) {
  const { businessId, liveKey } = await businessWithTemplates();
  const tpl = await createTemplate(businessId, liveKey, templateBody);
  const pass = await issue(businessId, liveKey, { template_id: tpl.id });
  return (await loadPassContextBySerial(createDatabase(env.DB), pass.serial_number))!;
}

describe("without Google credentials", () => {
  it("offers no save link (the page hides the Google button)", async () => {
    const ctx = await context({ name: "Card", type: "loyalty" });
    expect(await googleSaveUrl(loadConfig({ ...env, GOOGLE_SERVICE_ACCOUNT_EMAIL: undefined }), ctx)).toBeNull();
    expect(await googleSaveUrl(loadConfig(env), ctx)).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
  });
});
