import { describe, expect, it } from "vitest";
import { type AppleIdentity, applePassJson as buildUnchecked } from "../../../src/wallet/apple/build";
import type { PassContext } from "../../../src/wallet/content";
import { expectValidPassJson } from "../../support/pass-json-schema";
import { passContextFor } from "../../support/wallet";

// Every pass.json built here is also checked against passkit-generator's schema.
const applePassJson = async (ctx: PassContext, id: AppleIdentity) => expectValidPassJson(await buildUnchecked(ctx, id));

const identity: AppleIdentity = {
  passTypeIdentifier: "pass.dev.passlite.local",
  teamIdentifier: "DEVTEAM000",
  webServiceURL: "https://api.passlite.test/api/v1/wallet/apple",
  appOrigin: "https://app.passlite.test",
  barcodeSecret: "test",
};

describe("NFC", () => {
  it("carries the pass's nfc_data, else the template's message, only when Apple's NFC key is configured", async () => {
    const ctx = await passContextFor({ name: "Members", type: "membership", nfc_message: "template-nfc" });
    expect((await applePassJson(ctx, identity)).nfc).toBeUndefined();
    expect((await applePassJson(ctx, { ...identity, nfcPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC" })).nfc).toEqual({
      message: "template-nfc",
      encryptionPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC",
    });
    const own = await passContextFor({ name: "Members", type: "membership", nfc_message: "template-nfc" }, { nfc_data: "pass-nfc" });
    expect((await applePassJson(own, { ...identity, nfcPublicKey: "key" })).nfc).toMatchObject({ message: "pass-nfc" });
  });
});
