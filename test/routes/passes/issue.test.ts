import { describe, expect, it } from "vitest";
import { bearer, businessWithTemplates, createTemplate, issue, json, keyAuth, request, signUp } from "../../support/api";

describe("POST /passes", () => {
  it("issues a pass with the reference's fields", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const res = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: {
        template_id: loyalty.id,
        customer_name: "Jane Doe",
        customer_email: "Jane@Example.com",
        external_id: "cust_9821",
        metadata: { tier: "gold" },
      },
    });
    const pass = await json(res, 201);
    expect(pass).toMatchObject({
      template_id: loyalty.id,
      customer_name: "Jane Doe",
      customer_email: "Jane@Example.com",
      external_id: "cust_9821",
      status: "active",
      points: 0,
      balance: null,
      stamps: 0,
      metadata: { tier: "gold" },
    });
    expect(pass.id).toMatch(/^pass_[0-9a-z]{26}$/);
    // PL-, the business's prefix (which routes wallet requests to its shard), ten random characters.
    expect(pass.serial_number).toMatch(/^PL-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(pass.download_url).toMatch(new RegExp(`^https://api.passlite.test/pass/${pass.serial_number}/[0-9a-z]{32}$`));
    expect(Date.parse(pass.created_at)).not.toBeNaN();
  });

  it("opens a gift card with its balance in major units and exact minor-unit storage", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 104.7 });
    expect(pass).toMatchObject({ balance: 104.7, currency: "GBP", points: 0 });
    const zero = await issue(businessId, liveKey, { template_id: giftCard.id });
    expect(zero.balance).toBe(0);
  });

  it("refuses values that do not fit the template type with a clear 422", async () => {
    const { businessId, liveKey, ticket, giftCard } = await businessWithTemplates();
    const balanceOnTicket = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: ticket.id, initial_balance: 10 },
    });
    expect(balanceOnTicket.status).toBe(422);
    expect((await balanceOnTicket.json<any>()).error).toMatchObject({
      code: "validation_error",
      message: expect.stringContaining("gift cards"),
      fields: [{ path: "initial_balance" }],
    });
    const pointsOnGift = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: giftCard.id, points: 10 },
    });
    expect(pointsOnGift.status).toBe(422);
    const tooPrecise = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: giftCard.id, initial_balance: 10.001 },
    });
    expect(tooPrecise.status).toBe(422);
    const unknownField = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: giftCard.id, colour: "red" },
    });
    expect(unknownField.status).toBe(422);
  });

  it("answers 404 for an unknown template and 409 for a duplicate external_id", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const missing = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: "tpl_missing" },
    });
    expect(missing.status).toBe(404);
    await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "dup-1" });
    const dup = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: loyalty.id, external_id: "dup-1" },
    });
    expect(dup.status).toBe(409);
    expect((await dup.json<any>()).error).toEqual({ code: "conflict", message: "external_id dup-1 already exists", status: 409 });
  });

  it("takes barcode_data, nfc_data and expiry from the template", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Promo", type: "coupon", expires_after_days: 30 });
    const pass = await issue(businessId, liveKey, {
      template_id: tpl.id,
      barcode_data: "TICKET-XYZ-12345",
      nfc_data: "custom-nfc-payload",
    });
    expect(pass).toMatchObject({ barcode_data: "TICKET-XYZ-12345", nfc_data: "custom-nfc-payload" });
    const days = (Date.parse(pass.expires_at) - Date.parse(pass.created_at)) / 86_400_000;
    expect(days).toBeCloseTo(30, 3);
  });

  it("keeps test and live passes apart", async () => {
    const { businessId, liveKey, testKey, session, loyalty } = await businessWithTemplates();
    const testTemplate = await createTemplate(businessId, testKey, { name: "Test card", type: "loyalty" });
    // A live template is invisible to a test key, and the reverse.
    const live = await json(await request(`/businesses/${businessId}/templates`, { headers: keyAuth(liveKey) }), 200);
    expect(live.data.map((t: any) => t.id)).not.toContain(testTemplate.id);
    const testPass = await issue(businessId, testKey, { template_id: testTemplate.id, external_id: "shared-ext" });
    expect((await request(`/businesses/${businessId}/passes/${testPass.id}`, { headers: keyAuth(liveKey) })).status).toBe(404);
    expect((await request(`/businesses/${businessId}/passes/${testPass.id}`, { headers: keyAuth(testKey) })).status).toBe(200);
    // Dashboard users choose the mode per request.
    expect((await request(`/businesses/${businessId}/passes/${testPass.id}`, { headers: bearer(session) })).status).toBe(404);
    expect(
      (await request(`/businesses/${businessId}/passes/${testPass.id}`, { headers: bearer(session, { "x-passlite-mode": "test" }) }))
        .status,
    ).toBe(200);
    const liveList = await json(await request(`/businesses/${businessId}/passes`, { headers: keyAuth(liveKey) }), 200);
    expect(liveList.data).toHaveLength(0);
    // The same external_id may exist once per mode, and lookups stay in their mode.
    const livePass = await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "shared-ext" });
    const found = await json(
      await request(`/businesses/${businessId}/passes/lookup/external/shared-ext`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(found.id).toBe(livePass.id);
    // A live key cannot issue on a test template.
    const cross = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: testTemplate.id },
    });
    expect(cross.status).toBe(404);
  });
});

describe("plan limits on passes", () => {
  it("issues 100 live passes on Free and answers the 101st with 402; test passes do not count", async () => {
    const session = await signUp();
    const biz = session.business.id;
    const tpl = await json(
      await request(`/businesses/${biz}/templates`, { method: "POST", headers: bearer(session), json: { name: "Card", type: "loyalty" } }),
      201,
    );
    const results = await Promise.all(
      Array.from({ length: 105 }, () =>
        request(`/businesses/${biz}/passes`, { method: "POST", headers: bearer(session), json: { template_id: tpl.id } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 402)).toHaveLength(5);
    const refused = results.find((r) => r.status === 402)!;
    expect(await refused.json()).toMatchObject({ error: "pro_feature", feature: "issued_passes", plan: "free" });

    const testTpl = await json(
      await request(`/businesses/${biz}/templates`, {
        method: "POST",
        headers: bearer(session, { "x-passlite-mode": "test" }),
        json: { name: "Card", type: "loyalty" },
      }),
      201,
    );
    const testPass = await request(`/businesses/${biz}/passes`, {
      method: "POST",
      headers: bearer(session, { "x-passlite-mode": "test" }),
      json: { template_id: testTpl.id },
    });
    expect(testPass.status).toBe(201);
  });

  it("refuses bulk operations on Free", async () => {
    const session = await signUp();
    const res = await request(`/businesses/${session.business.id}/passes/bulk`, {
      method: "POST",
      headers: bearer(session),
      json: { passes: [{ template_id: "tpl_x" }] },
    });
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({ error: "pro_feature", feature: "bulk_operations", plan: "free" });
  });
});
