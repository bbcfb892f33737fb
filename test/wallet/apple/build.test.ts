import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../../src/db/client";
import { type AppleIdentity, applePassJson } from "../../../src/wallet/apple/build";
import { loadPassContextBySerial } from "../../../src/wallet/context";
import { businessWithTemplates, createTemplate, issue } from "../../support/api";

const identity: AppleIdentity = {
  passTypeIdentifier: "pass.dev.passlite.local",
  teamIdentifier: "DEVTEAM000",
  webServiceURL: "https://api.passlite.test/api/v1/wallet/apple",
  appOrigin: "https://app.passlite.test",
  barcodeSecret: "test",
};

async function context(templateBody: Record<string, unknown>, passBody: Record<string, unknown> = {}) {
  const { businessId, liveKey } = await businessWithTemplates();
  const tpl = await createTemplate(businessId, liveKey, templateBody);
  const pass = await issue(businessId, liveKey, { template_id: tpl.id, ...passBody });
  return (await loadPassContextBySerial(createDatabase(env.DB), pass.serial_number))!;
}

describe("NFC", () => {
  it("carries the pass's nfc_data, else the template's message, only when Apple's NFC key is configured", async () => {
    const ctx = await context({ name: "Members", type: "membership", nfc_message: "template-nfc" });
    expect((await applePassJson(ctx, identity)).nfc).toBeUndefined();
    expect((await applePassJson(ctx, { ...identity, nfcPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC" })).nfc).toEqual({
      message: "template-nfc",
      encryptionPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC",
    });
    const own = await context({ name: "Members", type: "membership", nfc_message: "template-nfc" }, { nfc_data: "pass-nfc" });
    expect((await applePassJson(own, { ...identity, nfcPublicKey: "key" })).nfc).toMatchObject({ message: "pass-nfc" });
  });
});
