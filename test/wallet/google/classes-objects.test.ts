import { describe, expect, it } from "vitest";
import {
  GoogleMappingError,
  type GooglePassInput,
  type GoogleTemplateInput,
  googleResourcesFor,
  majorToMicros,
  minorToMicros,
} from "../../../src/wallet/google/classes-objects";

const ISSUER = "3388000000012345678";

const template = (overrides: Partial<GoogleTemplateInput> = {}): GoogleTemplateInput => ({
  id: "tpl_123",
  type: "loyalty",
  name: "Coffee card",
  organizationName: "Demo Cafe",
  description: "Ten stamps, one coffee",
  colors: { background: "#1A2B3C" },
  logoUrl: "https://api.passlite.test/assets/logo.png",
  ...overrides,
});

const pass = (overrides: Partial<GooglePassInput> = {}): GooglePassInput => ({
  serialNumber: "PL-ABC123",
  status: "active",
  customerName: "Ada Lovelace",
  points: 120,
  stamps: 3,
  stampGoal: null,
  balance: null,
  currency: null,
  barcode: { format: "qr", value: "https://app.passlite.test/s/PL-ABC123", altText: "PL-ABC123" },
  ...overrides,
});

describe("googleResourcesFor", () => {
  it("maps a loyalty template and pass to loyaltyClass / loyaltyObject", () => {
    const r = googleResourcesFor(ISSUER, template(), pass());
    expect(r.classType).toBe("loyaltyClass");
    expect(r.objectType).toBe("loyaltyObject");
    expect(r.classResource).toEqual({
      id: `${ISSUER}.tpl_123`,
      issuerName: "Demo Cafe",
      programName: "Coffee card",
      reviewStatus: "UNDER_REVIEW",
      hexBackgroundColor: "#1a2b3c",
      programLogo: {
        sourceUri: { uri: "https://api.passlite.test/assets/logo.png" },
        contentDescription: { defaultValue: { language: "en", value: "Demo Cafe" } },
      },
      textModulesData: [{ id: "description", header: "About", body: "Ten stamps, one coffee" }],
    });
    expect(r.objectResource).toEqual({
      id: `${ISSUER}.PL-ABC123`,
      classId: `${ISSUER}.tpl_123`,
      state: "ACTIVE",
      barcode: { type: "QR_CODE", value: "https://app.passlite.test/s/PL-ABC123", alternateText: "PL-ABC123" },
      accountId: "PL-ABC123",
      accountName: "Ada Lovelace",
      loyaltyPoints: { label: "Points", balance: { int: 120 } },
    });
  });

  it("shows stamps instead of points when the template has a stamp goal", () => {
    const r = googleResourcesFor(ISSUER, template(), pass({ stampGoal: 10, stamps: 7 }));
    expect(r.objectResource.loyaltyPoints).toEqual({ label: "Stamps", balance: { int: 7 } });
  });

  it("maps a gift card with an exact micros balance", () => {
    const r = googleResourcesFor(ISSUER, template({ type: "gift_card" }), pass({ balance: 104.7, balanceMinor: 10470, currency: "USD" }));
    expect(r.classType).toBe("giftCardClass");
    expect(r.objectType).toBe("giftCardObject");
    expect(r.classResource).toMatchObject({
      issuerName: "Demo Cafe",
      merchantName: "Demo Cafe",
      reviewStatus: "UNDER_REVIEW",
      hexBackgroundColor: "#1a2b3c",
    });
    expect(r.objectResource).toMatchObject({ cardNumber: "PL-ABC123", balance: { micros: "104700000", currencyCode: "USD" } });
  });

  it("computes micros without floating-point error, from minor or major units", () => {
    const balance = (p: Partial<GooglePassInput>) =>
      googleResourcesFor(ISSUER, template({ type: "gift_card" }), pass({ currency: "USD", ...p })).objectResource.balance;
    expect(balance({ balance: 104.7 })).toEqual({ micros: "104700000", currencyCode: "USD" });
    // 1.005 * 1e6 = 1004999.9999999999 and 8.2 * 1e6 = 8199999.999999999 in floating point.
    expect(balance({ balance: 1.005 })).toEqual({ micros: "1005000", currencyCode: "USD" });
    expect(balance({ balance: 8.2 })).toEqual({ micros: "8200000", currencyCode: "USD" });
    expect(balance({ balance: 0 })).toEqual({ micros: "0", currencyCode: "USD" });
    expect(balance({ balance: null, balanceMinor: 820 })).toEqual({ micros: "8200000", currencyCode: "USD" });
    // Minor units win over major units when both are given.
    expect(balance({ balance: 999, balanceMinor: 1 })).toEqual({ micros: "10000", currencyCode: "USD" });
    expect(balance({ balanceMinor: 500, currency: "JPY" })).toEqual({ micros: "500000000", currencyCode: "JPY" });
    expect(balance({ balanceMinor: 1234, currency: "KWD" })).toEqual({ micros: "1234000", currencyCode: "KWD" });
    // No currency, no Money.
    expect(balance({ balance: 5, currency: null })).toBeUndefined();

    expect(majorToMicros(4.1)).toBe("4100000");
    expect(majorToMicros(0.0000015)).toBe("2");
    expect(majorToMicros(-12.34)).toBe("-12340000");
    expect(majorToMicros(1e-7)).toBe("0");
    expect(minorToMicros(10470, 2)).toBe("104700000");
    expect(() => minorToMicros(1.5, 2)).toThrow(GoogleMappingError);
    // Google's int64 micros, as proto3 JSON writes them: exact past 2^53, up to the largest balance of any currency.
    expect(minorToMicros(10 ** 12, 2)).toBe("10000000000000000");
    expect(minorToMicros(10 ** 12, 0)).toBe("1000000000000000000");
    expect(majorToMicros(9_999_999_999.99)).toBe("9999999999990000");
    expect(() => majorToMicros(1e13)).toThrow(GoogleMappingError);
    expect(() => majorToMicros(Number.NaN)).toThrow(GoogleMappingError);
    expect(() => balance({ balanceMinor: 100, currency: "XXZ" })).toThrow(GoogleMappingError);
  });

  it("maps an event ticket with event name, venue and start", () => {
    const r = googleResourcesFor(
      ISSUER,
      template({ type: "event_ticket", name: "Gig", eventName: "The Band", venue: "Hall", eventStart: "2026-09-01T19:30:00+01:00" }),
      pass({ barcode: { format: "pdf417", value: "T-1" } }),
    );
    expect(r.classType).toBe("eventTicketClass");
    expect(r.objectType).toBe("eventTicketObject");
    expect(r.classResource).toMatchObject({
      issuerName: "Demo Cafe",
      reviewStatus: "UNDER_REVIEW",
      eventName: { defaultValue: { language: "en", value: "The Band" } },
      // The venue's name only: repeating it as the address would show it twice.
      venue: { name: { defaultValue: { language: "en", value: "Hall" } } },
      dateTime: { start: "2026-09-01T19:30:00+01:00" },
      logo: { sourceUri: { uri: "https://api.passlite.test/assets/logo.png" } },
      hexBackgroundColor: "#1a2b3c",
    });
    expect(r.objectResource).toMatchObject({
      ticketNumber: "PL-ABC123",
      ticketHolderName: "Ada Lovelace",
      barcode: { type: "PDF_417", value: "T-1" },
    });
    expect(r.objectResource.barcode).not.toHaveProperty("alternateText");
    // Without an event name the template's name stands in; without a venue there is none.
    const bare = googleResourcesFor(ISSUER, template({ type: "event_ticket", name: "Gig" }), pass());
    expect(bare.classResource.eventName).toEqual({ defaultValue: { language: "en", value: "Gig" } });
    expect(bare.classResource).not.toHaveProperty("venue");
    expect(bare.classResource).not.toHaveProperty("dateTime");
  });

  it("maps a coupon to offerClass / offerObject: title, provider, redemption in store, title image", () => {
    const r = googleResourcesFor(
      ISSUER,
      template({ type: "coupon", name: "10% off coffee" }),
      pass({ expiresAt: "2030-06-30T23:59:59.000Z" }),
    );
    expect(r.classType).toBe("offerClass");
    expect(r.objectType).toBe("offerObject");
    expect(r.classResource).toEqual({
      id: `${ISSUER}.tpl_123`,
      issuerName: "Demo Cafe",
      reviewStatus: "UNDER_REVIEW",
      hexBackgroundColor: "#1a2b3c",
      title: "10% off coffee",
      provider: "Demo Cafe",
      redemptionChannel: "INSTORE",
      titleImage: {
        sourceUri: { uri: "https://api.passlite.test/assets/logo.png" },
        contentDescription: { defaultValue: { language: "en", value: "Demo Cafe" } },
      },
      textModulesData: [{ id: "description", header: "About", body: "Ten stamps, one coffee" }],
    });
    expect(r.objectResource).toEqual({
      id: `${ISSUER}.PL-ABC123`,
      classId: `${ISSUER}.tpl_123`,
      state: "ACTIVE",
      barcode: { type: "QR_CODE", value: "https://app.passlite.test/s/PL-ABC123", alternateText: "PL-ABC123" },
      validTimeInterval: { end: { date: "2030-06-30T23:59:59Z" } },
    });
  });

  it("shows the template's other fields as the object's texts, at most ten", () => {
    const texts = Array.from({ length: 12 }, (_, i) => ({ id: `field.f${i}`, header: `Field ${i}`, body: `£${i}.00` }));
    for (const type of ["loyalty", "gift_card", "event_ticket", "coupon", "membership", "generic"] as const) {
      const modules = googleResourcesFor(ISSUER, template({ type, description: null }), pass({ texts })).objectResource.textModulesData;
      expect(modules, type).toEqual(texts.slice(0, 10));
    }
    expect(googleResourcesFor(ISSUER, template({ type: "loyalty" }), pass({ texts: [] })).objectResource).not.toHaveProperty(
      "textModulesData",
    );
  });

  it.each(["membership", "generic"] as const)("maps %s to genericClass / genericObject", (type) => {
    const r = googleResourcesFor(ISSUER, template({ type, name: "Member card" }), pass({ points: 42 }));
    expect(r.classType).toBe("genericClass");
    expect(r.objectType).toBe("genericObject");
    // Generic classes take no issuer name, review status or colour.
    expect(r.classResource).not.toHaveProperty("issuerName");
    expect(r.classResource).not.toHaveProperty("reviewStatus");
    expect(r.classResource).not.toHaveProperty("hexBackgroundColor");
    expect(r.objectResource).toMatchObject({
      classId: `${ISSUER}.tpl_123`,
      cardTitle: { defaultValue: { language: "en", value: "Demo Cafe" } },
      header: { defaultValue: { language: "en", value: "Ada Lovelace" } },
      subheader: { defaultValue: { language: "en", value: "Member card" } },
      hexBackgroundColor: "#1a2b3c",
      logo: { sourceUri: { uri: "https://api.passlite.test/assets/logo.png" } },
    });
    expect(r.objectResource.textModulesData).toEqual([{ id: "description", header: "Details", body: "Ten stamps, one coffee" }]);
  });

  it("uses the template name as header when the pass has no customer name", () => {
    const r = googleResourcesFor(
      ISSUER,
      template({ type: "generic", name: "Visitor pass", logoUrl: null, description: null }),
      pass({ customerName: null }),
    );
    expect(r.objectResource.header).toEqual({ defaultValue: { language: "en", value: "Visitor pass" } });
    expect(r.objectResource).not.toHaveProperty("subheader");
    expect(r.objectResource).not.toHaveProperty("logo");
    expect(r.objectResource).not.toHaveProperty("textModulesData");
  });

  it.each([
    ["active", "ACTIVE"],
    ["checked_in", "ACTIVE"],
    ["redeemed", "COMPLETED"],
    ["expired", "EXPIRED"],
    ["voided", "INACTIVE"],
  ] as const)("maps status %s to state %s for every kind", (status, state) => {
    for (const type of ["loyalty", "gift_card", "event_ticket", "coupon", "membership", "generic"] as const) {
      expect(googleResourcesFor(ISSUER, template({ type }), pass({ status })).objectResource.state).toBe(state);
    }
  });

  it.each([
    ["qr", "QR_CODE"],
    ["pdf417", "PDF_417"],
    ["aztec", "AZTEC"],
    ["code128", "CODE_128"],
  ] as const)("maps barcode %s to %s", (format, type) => {
    expect(googleResourcesFor(ISSUER, template(), pass({ barcode: { format, value: "V" } })).objectResource.barcode).toEqual({
      type,
      value: "V",
    });
  });

  it("replaces characters Google does not allow in ids", () => {
    const r = googleResourcesFor(ISSUER, template({ id: "tpl:1" }), pass({ serialNumber: "AB 12/ü.x_y-z" }));
    expect(r.objectResource.id).toBe(`${ISSUER}.AB_12__.x_y-z`);
    expect(r.classResource.id).toBe(`${ISSUER}.tpl_1`);
    expect(r.objectResource.classId).toBe(r.classResource.id);
  });

  it("sets validTimeInterval.end from expiresAt, and nothing without it", () => {
    const r = googleResourcesFor(ISSUER, template(), pass({ expiresAt: "2026-12-31T23:59:59.000Z" }));
    expect(r.objectResource.validTimeInterval).toEqual({ end: { date: "2026-12-31T23:59:59Z" } });
    expect(googleResourcesFor(ISSUER, template(), pass()).objectResource).not.toHaveProperty("validTimeInterval");
    expect(() => googleResourcesFor(ISSUER, template(), pass({ expiresAt: "someday" }))).toThrow(GoogleMappingError);
  });

  it("omits colours that are not hex and adds callback options when given", () => {
    const r = googleResourcesFor(
      ISSUER,
      template({ colors: { background: "rgb(1,2,3)" }, callbackUrl: "https://api.passlite.test/cb" }),
      pass(),
    );
    expect(r.classResource).not.toHaveProperty("hexBackgroundColor");
    expect(r.classResource.callbackOptions).toEqual({ url: "https://api.passlite.test/cb" });
  });

  it("produces JSON without undefined holes", () => {
    const r = googleResourcesFor(ISSUER, template({ logoUrl: undefined, description: undefined }), pass({ customerName: undefined }));
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(Object.values(r.objectResource)).not.toContain(undefined);
    expect(Object.values(r.classResource)).not.toContain(undefined);
  });
});

describe("Google images", () => {
  const hero = "https://api.passlite.test/assets/templates/tpl_123/google-hero.png?v=0123456789ab";
  const heroImage = { sourceUri: { uri: hero }, contentDescription: { defaultValue: { language: "en", value: "Coffee card" } } };

  it("puts the hero image on loyalty, gift card, event ticket and offer classes, and on generic objects", () => {
    for (const type of ["loyalty", "gift_card", "event_ticket", "coupon"] as const) {
      expect(googleResourcesFor(ISSUER, template({ type, heroImageUrl: hero }), pass()).classResource.heroImage, type).toEqual(heroImage);
    }
    const generic = googleResourcesFor(ISSUER, template({ type: "generic", heroImageUrl: hero }), pass());
    expect(generic.classResource.heroImage).toBeUndefined();
    expect(generic.objectResource.heroImage).toEqual(heroImage);
  });

  it("leaves heroImage out without a strip", () => {
    expect("heroImage" in googleResourcesFor(ISSUER, template({ heroImageUrl: null }), pass()).classResource).toBe(false);
    expect("heroImage" in googleResourcesFor(ISSUER, template({ type: "generic" }), pass()).objectResource).toBe(false);
  });
});
