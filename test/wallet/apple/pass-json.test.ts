import { describe, expect, it } from "vitest";
import { type ApplePassInput, buildPassJson as buildUnchecked } from "../../../src/wallet/apple/pass-json";
import { expectValidPassJson } from "../../support/pass-json-schema";

// Every pass.json built here is also checked against passkit-generator's schema.
const buildPassJson = (input: ApplePassInput) => expectValidPassJson(buildUnchecked(input));

const base: ApplePassInput = {
  passTypeIdentifier: "pass.dev.passlite.local",
  teamIdentifier: "DEVTEAM000",
  serialNumber: "PL-0001",
  organizationName: "Bean There",
  description: "Loyalty card",
  style: "storeCard",
  colors: {},
  fields: { header: [], primary: [], secondary: [], auxiliary: [], back: [] },
  barcode: { format: "qr", message: "PL-0001" },
  webServiceURL: "https://api.passlite.test/wallet/apple",
  authenticationToken: "0123456789abcdef0123456789abcdef",
};

describe("buildPassJson", () => {
  it("maps the identity, web service and fields", () => {
    const pass = buildPassJson({
      ...base,
      fields: {
        header: [{ key: "points", label: "Points", value: 120, changeMessage: "You now have %@ points" }],
        primary: [{ key: "balance", label: "Balance", value: 12.5, currencyCode: "EUR" }],
        secondary: [{ key: "member", value: "Ada" }],
        auxiliary: [],
        back: [{ key: "terms", label: "Terms", value: "No cash value." }],
      },
      expirationDate: "2027-01-01T00:00:00Z",
      relevantDate: "2026-12-24T18:00:00+01:00",
    });
    expect(pass).toMatchObject({
      formatVersion: 1,
      passTypeIdentifier: "pass.dev.passlite.local",
      teamIdentifier: "DEVTEAM000",
      serialNumber: "PL-0001",
      organizationName: "Bean There",
      description: "Loyalty card",
      webServiceURL: "https://api.passlite.test/wallet/apple",
      authenticationToken: "0123456789abcdef0123456789abcdef",
      expirationDate: "2027-01-01T00:00:00Z",
      relevantDate: "2026-12-24T18:00:00+01:00",
    });
    expect(pass.storeCard).toEqual({
      headerFields: [{ key: "points", label: "Points", value: 120, changeMessage: "You now have %@ points" }],
      primaryFields: [{ key: "balance", label: "Balance", value: 12.5, currencyCode: "EUR" }],
      secondaryFields: [{ key: "member", value: "Ada" }],
      auxiliaryFields: [],
      backFields: [{ key: "terms", label: "Terms", value: "No cash value." }],
    });
  });

  it("puts the fields under the key of the pass style, and only that one", () => {
    for (const style of ["storeCard", "eventTicket", "coupon", "generic"] as const) {
      const pass = buildPassJson({ ...base, style }) as unknown as Record<string, unknown>;
      expect(pass[style]).toHaveProperty("primaryFields");
      const styleKeys = ["storeCard", "eventTicket", "coupon", "generic", "boardingPass"].filter((key) => key in pass);
      expect(styleKeys).toEqual([style]);
    }
  });

  it("turns hex colours into rgb() and leaves unset ones out", () => {
    const pass = buildPassJson({ ...base, colors: { background: "#1E40AF", foreground: "#fff" } });
    expect(pass.backgroundColor).toBe("rgb(30, 64, 175)");
    expect(pass.foregroundColor).toBe("rgb(255, 255, 255)");
    expect(pass).not.toHaveProperty("labelColor");
    expect(() => buildPassJson({ ...base, colors: { label: "blue" } })).toThrow(/labelColor/);
  });

  it("maps barcode formats, with the legacy barcode key where old iOS supported the format", () => {
    const expected = {
      qr: "PKBarcodeFormatQR",
      pdf417: "PKBarcodeFormatPDF417",
      aztec: "PKBarcodeFormatAztec",
      code128: "PKBarcodeFormatCode128",
    } as const;
    for (const [format, appleFormat] of Object.entries(expected)) {
      const pass = buildPassJson({ ...base, barcode: { format: format as keyof typeof expected, message: "PL-0001", altText: "PL-0001" } });
      const barcode = { format: appleFormat, message: "PL-0001", messageEncoding: "iso-8859-1", altText: "PL-0001" };
      expect(pass.barcodes).toEqual([barcode]);
      if (format === "code128") expect(pass).not.toHaveProperty("barcode");
      else expect(pass.barcode).toEqual(barcode);
    }
    expect(buildPassJson({ ...base, barcode: { format: "qr", message: "Café ☕" } }).barcodes[0]!.messageEncoding).toBe("utf-8");
    expect(buildPassJson(base).barcodes[0]).not.toHaveProperty("altText");
  });

  it("includes nfc only when given, and voided only when true", () => {
    expect(buildPassJson(base)).not.toHaveProperty("nfc");
    expect(
      buildPassJson({ ...base, nfc: { message: "PL-0001", encryptionPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC" } }).nfc,
    ).toEqual({
      message: "PL-0001",
      encryptionPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC",
    });
    expect(buildPassJson(base)).not.toHaveProperty("voided");
    expect(buildPassJson({ ...base, voided: false })).not.toHaveProperty("voided");
    expect(buildPassJson({ ...base, voided: true }).voided).toBe(true);
  });
});
