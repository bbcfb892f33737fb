import { describe, expect, it } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request, shardOf } from "../../support/api";

const patch = (businessId: string, key: string, identifier: string, body: unknown) =>
  request(`/businesses/${businessId}/passes/${identifier}`, { method: "PATCH", headers: keyAuth(key), json: body });

describe("PATCH /passes/{identifier}", () => {
  it("changes only the given fields and merges metadata (null deletes a key)", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, {
      template_id: loyalty.id,
      customer_name: "Jane Doe",
      metadata: { tier: "gold", city: "Leeds" },
    });
    const updated = await json(
      await patch(businessId, liveKey, pass.id, { customer_name: "Jane Smith", metadata: { tier: "platinum", city: null, vip: true } }),
      200,
    );
    expect(updated).toMatchObject({ customer_name: "Jane Smith", customer_email: null, metadata: { tier: "platinum", vip: true } });
    expect(updated.metadata).not.toHaveProperty("city");
    expect(updated.updated_at > pass.updated_at || updated.updated_at === pass.updated_at).toBe(true);
  });

  it("sets counters directly and records the difference in the ledger", async () => {
    const { businessId, liveKey, loyalty, giftCard } = await businessWithTemplates();
    const card = await issue(businessId, liveKey, { template_id: loyalty.id, points: 10 });
    const updated = await json(await patch(businessId, liveKey, card.id, { points: 200, stamps: 3 }), 200);
    expect(updated).toMatchObject({ points: 200, stamps: 3 });
    const gift = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 50 });
    expect((await json(await patch(businessId, liveKey, gift.id, { balance: 12.34 }), 200)).balance).toBe(12.34);
    const totals = await (await shardOf(businessId))
      .prepare("SELECT kind, SUM(delta) AS total FROM ledger_entries WHERE pass_id IN (?, ?) GROUP BY pass_id, kind ORDER BY kind")
      .bind(card.id, gift.id)
      .all<{ kind: string; total: number }>();
    expect(totals.results).toEqual([
      { kind: "balance", total: 1234 },
      { kind: "points", total: 200 },
      { kind: "stamps", total: 3 },
    ]);
    expect((await patch(businessId, liveKey, gift.id, { stamps: 1 })).status).toBe(422);
  });

  it("reverts barcode_data to the template barcode with null", async () => {
    const { businessId, liveKey, ticket } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: ticket.id, barcode_data: "EXT-1" });
    expect((await json(await patch(businessId, liveKey, pass.id, { barcode_data: null }), 200)).barcode_data).toBeNull();
  });

  it("refuses an external_id already used by another pass, and an empty body", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "taken" });
    const other = await issue(businessId, liveKey, { template_id: loyalty.id });
    expect((await patch(businessId, liveKey, other.id, { external_id: "taken" })).status).toBe(409);
    expect((await patch(businessId, liveKey, other.id, {})).status).toBe(422);
    expect((await patch(businessId, liveKey, "nope", { customer_name: "x" })).status).toBe(404);
  });

  it("emits pass.updated and bumps the version", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    await patch(businessId, liveKey, pass.id, { customer_name: "New" });
    const history = await json(await request(`/businesses/${businessId}/passes/${pass.id}/events`, { headers: keyAuth(liveKey) }), 200);
    expect(history.data[0]).toMatchObject({ type: "pass.updated", data: { action: "update", fields: ["customer_name"], version: 2 } });
  });
});

describe("finding passes", () => {
  it("detects id, then serial, then external_id — even an external_id that looks like a serial", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const a = await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "cust-1" });
    const b = await issue(businessId, liveKey, { template_id: loyalty.id, external_id: a.serial_number });
    const c = await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "PL-ZZZZZ-ZZZZZ" });
    const get = async (identifier: string) =>
      (await json(await request(`/businesses/${businessId}/passes/${identifier}`, { headers: keyAuth(liveKey) }), 200)).id;
    expect(await get(a.id)).toBe(a.id);
    expect(await get(a.serial_number)).toBe(a.id); // the serial wins over b's external_id
    expect(await get("cust-1")).toBe(a.id);
    expect(await get(b.serial_number)).toBe(b.id);
    expect(await get("PL-ZZZZZ-ZZZZZ")).toBe(c.id); // serial-shaped, but only an external_id matches
    const full = await json(await request(`/businesses/${businessId}/passes/${a.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(full).toHaveProperty("metadata");
    expect(full).toHaveProperty("updated_at");
  });

  it("looks up by email case-insensitively and by external_id", async () => {
    const { businessId, liveKey, loyalty, giftCard } = await businessWithTemplates();
    const one = await issue(businessId, liveKey, { template_id: loyalty.id, customer_email: "Jane@Example.com", external_id: "ext-9" });
    const two = await issue(businessId, liveKey, { template_id: giftCard.id, customer_email: "jane@example.com" });
    const byEmail = await json(
      await request(`/businesses/${businessId}/passes/lookup/email/JANE@example.COM`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(byEmail.map((p: any) => p.id).sort()).toEqual([one.id, two.id].sort());
    expect(
      await json(await request(`/businesses/${businessId}/passes/lookup/email/nobody@example.com`, { headers: keyAuth(liveKey) }), 200),
    ).toEqual([]);
    const byExternal = await json(
      await request(`/businesses/${businessId}/passes/lookup/external/ext-9`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(byExternal).toMatchObject({ id: one.id, external_id: "ext-9", status: "active" });
    expect((await request(`/businesses/${businessId}/passes/lookup/external/none`, { headers: keyAuth(liveKey) })).status).toBe(404);
  });

  it("lists with filters, search and cursor pagination", async () => {
    const { businessId, liveKey, loyalty, giftCard } = await businessWithTemplates();
    const passes = [];
    for (let i = 0; i < 5; i++) passes.push(await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: `Loyal ${i}` }));
    const gift = await issue(businessId, liveKey, { template_id: giftCard.id, customer_name: "Gifted Person" });
    await request(`/businesses/${businessId}/passes/${passes[0].id}`, { method: "DELETE", headers: keyAuth(liveKey) });

    const list = (query: string) =>
      request(`/businesses/${businessId}/passes?${query}`, { headers: keyAuth(liveKey) }).then((r) => json(r, 200));
    const first = await list("limit=4");
    expect(first.data).toHaveLength(4);
    expect(first.has_more).toBe(true);
    const second = await list(`limit=4&cursor=${first.next_cursor}`);
    expect(second.data).toHaveLength(2);
    expect(second.has_more).toBe(false);
    expect([...first.data, ...second.data].map((p: any) => p.id)).toEqual(
      [gift, ...passes]
        .map((p) => p.id)
        .sort()
        .reverse(),
    );

    expect((await list(`template_id=${giftCard.id}`)).data.map((p: any) => p.id)).toEqual([gift.id]);
    expect((await list("status=voided")).data.map((p: any) => p.id)).toEqual([passes[0].id]);
    expect((await list("q=gifted")).data.map((p: any) => p.id)).toEqual([gift.id]);
    expect((await list(`q=${gift.serial_number.slice(3, 8).toLowerCase()}`)).data.map((p: any) => p.id)).toContain(gift.id);
    expect((await request(`/businesses/${businessId}/passes?status=lost`, { headers: keyAuth(liveKey) })).status).toBe(422);
  });
});
