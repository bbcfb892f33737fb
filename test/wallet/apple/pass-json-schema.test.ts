import { describe, it } from "vitest";
import { BARCODE_FORMATS, TEMPLATE_TYPES } from "../../../src/domain/enums";
import { type AppleIdentity, applePassJson } from "../../../src/wallet/apple/build";
import { createTemplate, issue, keyAuth, proBusiness, request } from "../../support/api";
import { expectValidPassJson } from "../../support/pass-json-schema";
import { passContextOf } from "../../support/wallet";

const identity: AppleIdentity = {
  passTypeIdentifier: "pass.dev.passlite.local",
  teamIdentifier: "DEVTEAM000",
  webServiceURL: "https://api.passlite.test/api/v1/wallet/apple",
  appOrigin: "https://app.passlite.test",
  barcodeSecret: "test-barcode-secret",
  nfcPublicKey: "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC",
};

const typeSettings: Record<(typeof TEMPLATE_TYPES)[number], Record<string, unknown>> = {
  loyalty: { stamp_goal: 8 },
  gift_card: { currency: "GBP" },
  event_ticket: { event: { name: "The Band", venue: "Hall", starts_at: "2027-01-01T20:00:00.000+01:00" } },
  coupon: {},
  membership: {},
  generic: {},
};

describe("pass.json against passkit-generator's schema", () => {
  it("holds for every template type and barcode format, with NFC, expiry, metadata, static texts and a voided pass", async () => {
    for (const type of TEMPLATE_TYPES) {
      // A business per type keeps each API key under its rate limit.
      const { businessId, liveKey } = await proBusiness();
      for (const barcode_format of BARCODE_FORMATS) {
        const tpl = await createTemplate(businessId, liveKey, {
          name: `${type} ${barcode_format}`,
          type,
          barcode_format,
          nfc_message: "ünïcode-nfc",
          expires_after_days: 30,
          colors: { background: "#123456", foreground: "#ffffff", label: "#abcdef" },
          scan_security: { signed_barcodes: barcode_format === "qr" },
          fields: {
            back: [
              { key: "serial", label: "Number", value: "serial_number" },
              { key: "tier", label: "Tier", value: "metadata", metadata_key: "tier" },
              { key: "terms", label: "Terms", value: "static", text: "No cash value." },
              { key: "until", label: null, value: "expires_at" },
            ],
          },
          ...typeSettings[type],
        });
        const pass = await issue(businessId, liveKey, {
          template_id: tpl.id,
          customer_name: "Zoë Ürban",
          metadata: { tier: "gold" },
          ...(type === "gift_card" ? { initial_balance: 70 } : {}),
        });
        expectValidPassJson(await applePassJson(await passContextOf(pass.serial_number), identity));
        await request(`/businesses/${businessId}/passes/${pass.id}`, { method: "DELETE", headers: keyAuth(liveKey) });
        expectValidPassJson(await applePassJson(await passContextOf(pass.serial_number), identity));
      }
    }
  });
});
