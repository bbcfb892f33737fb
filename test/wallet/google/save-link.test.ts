import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { type GoogleObjectRef, googleObjectRef } from "../../../src/wallet/google/classes-objects";
import { createSaveLink, SAVE_LINK_PREFIX } from "../../../src/wallet/google/save-link";

const EMAIL = "passlite@demo-project.iam.gserviceaccount.com";
const keys = generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });

const resources = (type: "loyalty" | "gift_card" | "event_ticket" | "coupon" | "generic"): GoogleObjectRef =>
  googleObjectRef("3388000000012345678", { id: "tpl_1", type }, "PL-1");

describe("createSaveLink", () => {
  it("signs an RS256 savetowallet JWT naming the object (made through the REST API), in a pay.google.com link", async () => {
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
      payload: { loyaltyObjects: [{ id: "3388000000012345678.PL-1", classId: "3388000000012345678.tpl_1" }] },
    });
  });

  it.each([
    ["gift_card", "giftCardObjects"],
    ["event_ticket", "eventTicketObjects"],
    ["coupon", "offerObjects"],
    ["generic", "genericObjects"],
  ] as const)("puts a %s object under %s", async (type, objectKey) => {
    const { publicKey, privateKey } = await keys;
    const r = resources(type);
    const link = await createSaveLink({ serviceAccountEmail: EMAIL, privateKeyPem: await exportPKCS8(privateKey), origins: [] }, r);
    const { payload } = await jwtVerify(link.slice(SAVE_LINK_PREFIX.length), publicKey);
    expect(payload.payload).toEqual({ [objectKey]: [{ id: r.id, classId: r.classId }] });
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
