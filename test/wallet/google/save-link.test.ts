import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { googleResourcesFor } from "../../../src/wallet/google/classes-objects";
import { createSaveLink, SAVE_LINK_PREFIX } from "../../../src/wallet/google/save-link";

const EMAIL = "passlite@demo-project.iam.gserviceaccount.com";
const keys = generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });

const resources = (type: "loyalty" | "gift_card" | "event_ticket" | "generic") =>
  googleResourcesFor(
    "3388000000012345678",
    { id: "tpl_1", type, name: "Card", organizationName: "Demo Cafe", colors: {} },
    { serialNumber: "PL-1", status: "active", points: 1, stamps: 0, balance: 10, currency: "EUR", barcode: { format: "qr", value: "x" } },
  );

describe("createSaveLink", () => {
  it("signs an RS256 savetowallet JWT with the class and object, in a pay.google.com link", async () => {
    const { publicKey, privateKey } = await keys;
    const pem = (await exportPKCS8(privateKey)).replace(/\n/g, "\\n");
    const r = resources("loyalty");
    const link = await createSaveLink(
      { serviceAccountEmail: EMAIL, privateKeyPem: pem, origins: ["https://app.passlite.test"], now: () => 1_780_000_000_000 },
      r,
    );

    expect(link.startsWith(SAVE_LINK_PREFIX)).toBe(true);
    expect(SAVE_LINK_PREFIX).toBe("https://pay.google.com/gp/v/save/");
    const jwt = link.slice(SAVE_LINK_PREFIX.length);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS256", typ: "JWT" });
    const { payload } = await jwtVerify(jwt, publicKey, { issuer: EMAIL, audience: "google", algorithms: ["RS256"] });
    expect(payload).toEqual({
      iss: EMAIL,
      aud: "google",
      typ: "savetowallet",
      iat: 1_780_000_000,
      origins: ["https://app.passlite.test"],
      payload: { loyaltyClasses: [r.classResource], loyaltyObjects: [r.objectResource] },
    });
  });

  it.each([
    ["gift_card", "giftCardClasses", "giftCardObjects"],
    ["event_ticket", "eventTicketClasses", "eventTicketObjects"],
    ["generic", "genericClasses", "genericObjects"],
  ] as const)("puts %s resources under %s and %s", async (type, classKey, objectKey) => {
    const { publicKey, privateKey } = await keys;
    const r = resources(type);
    const link = await createSaveLink({ serviceAccountEmail: EMAIL, privateKeyPem: await exportPKCS8(privateKey), origins: [] }, r);
    const { payload } = await jwtVerify(link.slice(SAVE_LINK_PREFIX.length), publicKey);
    expect(payload.payload).toEqual({ [classKey]: [r.classResource], [objectKey]: [r.objectResource] });
  });

  it("is refused by a different key", async () => {
    const { privateKey } = await keys;
    const other = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
    const link = await createSaveLink(
      { serviceAccountEmail: EMAIL, privateKeyPem: await exportPKCS8(privateKey), origins: [] },
      resources("loyalty"),
    );
    await expect(jwtVerify(link.slice(SAVE_LINK_PREFIX.length), other.publicKey)).rejects.toThrow();
  });
});
