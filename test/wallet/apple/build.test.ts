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

describe("dates", () => {
  it("gives event tickets relevantDates beside relevantDate, and a start Wallet formats in the venue's local time", async () => {
    const starts = "2027-01-01T20:00:00+01:00";
    const ctx = await passContextFor({
      name: "Gig",
      type: "event_ticket",
      event: { name: "The Band", venue: "Hall", starts_at: "2027-01-01T20:00:00.000+01:00" },
    });
    const passJson = await applePassJson(ctx, identity);
    expect(passJson.relevantDate).toBe(starts);
    // iOS 18 read `relevantDate` inside each entry; Apple's reference now names it `date`.
    expect(passJson.relevantDates).toEqual([{ date: starts, relevantDate: starts }]);
    expect(passJson.eventTicket!.secondaryFields).toContainEqual({
      key: "starts",
      label: "Starts",
      value: starts,
      dateStyle: "PKDateStyleMedium",
      timeStyle: "PKDateStyleShort",
      ignoresTimeZone: true,
    });
  });

  it("writes expirationDate without milliseconds, and the expiry field as a date for Wallet to format", async () => {
    const expiring = await applePassJson(
      await passContextFor({ name: "Deal", type: "coupon", expires_at: "2030-06-30T23:59:59.500Z" }),
      identity,
    );
    expect(expiring.expirationDate).toBe("2030-06-30T23:59:59Z");
    expect(expiring.coupon!.auxiliaryFields).toEqual([
      { key: "expires", label: "Expires", value: "2030-06-30T23:59:59Z", dateStyle: "PKDateStyleMedium", timeStyle: "PKDateStyleNone" },
    ]);
    const lasting = await applePassJson(await passContextFor({ name: "Deal", type: "coupon" }), identity);
    expect(lasting).not.toHaveProperty("expirationDate");
    expect(lasting.coupon!.auxiliaryFields).toEqual([{ key: "expires", label: "Expires", value: "Never" }]);
  });
});
