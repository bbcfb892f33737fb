import { describe, expect, it } from "vitest";
import { createTemplate, issue, json, keyAuth, proBusiness, request } from "../../support/api";

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }> };
}

const postTemplate = (businessId: string, key: string, body: Record<string, unknown>) =>
  request(`/businesses/${businessId}/templates`, { method: "POST", headers: keyAuth(key), json: body });
const patchTemplate = (businessId: string, key: string, id: string, body: Record<string, unknown>) =>
  request(`/businesses/${businessId}/templates/${id}`, { method: "PATCH", headers: keyAuth(key), json: body });

// 64 characters, 128 bytes of UTF-8: within a character limit, twice Apple's byte limit.
const LONG_NFC = "ü".repeat(64);
// 32 characters, exactly 64 bytes.
const FULL_NFC = "ü".repeat(32);

describe("Apple's package rules", () => {
  it("refuses a field key used twice anywhere on the pass, naming it", async () => {
    const { businessId, liveKey } = await proBusiness();
    const res = await postTemplate(businessId, liveKey, {
      name: "Card",
      type: "loyalty",
      fields: {
        secondary: [{ key: "holder", label: "Name", value: "customer_name" }],
        back: [
          { key: "serial", label: "Card number", value: "serial_number" },
          { key: "holder", label: "Member", value: "customer_name" },
        ],
      },
    });
    const body = await json<ErrorBody>(res, 422);
    expect(body.error.message).toContain("holder");
    expect(body.error.fields).toEqual([{ path: "fields.back.1.key", message: expect.stringMatching(/holder.*secondary/) }]);

    // A PATCH that moves a default field's key into another area is refused the same way.
    const tpl = await createTemplate(businessId, liveKey, { name: "Card", type: "loyalty" });
    const patched = await patchTemplate(businessId, liveKey, tpl.id, {
      fields: { header: [{ key: "serial", label: "No.", value: "serial_number" }] },
    });
    expect((await json<ErrorBody>(patched, 422)).error.message).toContain("serial");
  });

  it("limits the template's NFC message to 64 bytes of UTF-8, not 64 characters", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tooLong = await json<ErrorBody>(
      await postTemplate(businessId, liveKey, { name: "M", type: "membership", nfc_message: LONG_NFC }),
      422,
    );
    expect(tooLong.error.fields).toEqual([{ path: "nfc_message", message: expect.stringMatching(/128 bytes.*64/) }]);
    const tpl = await json(await postTemplate(businessId, liveKey, { name: "M", type: "membership", nfc_message: FULL_NFC }), 201);
    expect(tpl.nfc_message).toBe(FULL_NFC);
    await json(await patchTemplate(businessId, liveKey, tpl.id, { nfc_message: `${FULL_NFC}x` }), 422);
  });

  it("limits a pass's nfc_data to 64 bytes of UTF-8 on issue and update", async () => {
    const { businessId, liveKey } = await proBusiness();
    const tpl = await createTemplate(businessId, liveKey, { name: "M", type: "membership" });
    const refused = await json<ErrorBody>(
      await request(`/businesses/${businessId}/passes`, {
        method: "POST",
        headers: keyAuth(liveKey),
        json: { template_id: tpl.id, nfc_data: LONG_NFC },
      }),
      422,
    );
    expect(refused.error.fields).toEqual([{ path: "nfc_data", message: expect.stringMatching(/64 bytes/) }]);

    const pass = await issue(businessId, liveKey, { template_id: tpl.id, nfc_data: FULL_NFC });
    expect(pass.nfc_data).toBe(FULL_NFC);
    const patch = (nfc_data: string) =>
      request(`/businesses/${businessId}/passes/${pass.id}`, { method: "PATCH", headers: keyAuth(liveKey), json: { nfc_data } });
    await json(await patch(LONG_NFC), 422);
    expect((await json(await patch("ascii-only"), 200)).nfc_data).toBe("ascii-only");
  });
});
