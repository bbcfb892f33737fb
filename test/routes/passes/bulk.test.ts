import { describe, expect, it } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request } from "../../support/api";

describe("POST /passes/bulk", () => {
  it("reports partial success item by item, exactly as the reference shows", async () => {
    const { businessId, liveKey, loyalty, ticket } = await businessWithTemplates();
    await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "cust_9822" });
    const res = await request(`/businesses/${businessId}/passes/bulk`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: {
        passes: [
          { template_id: loyalty.id, customer_name: "Jane Doe", customer_email: "jane@example.com", external_id: "cust_9821" },
          { template_id: loyalty.id, customer_name: "John Smith", customer_email: "john@example.com", external_id: "cust_9822" },
          { template_id: "tpl_missing" },
          { template_id: loyalty.id, customer_email: "not-an-email" },
          { template_id: ticket.id, initial_balance: 5 },
          { template_id: loyalty.id, external_id: "in-request" },
          { template_id: loyalty.id, external_id: "in-request" },
        ],
      },
    });
    const body = await json(res, 200);
    expect(body).toMatchObject({ total: 7, succeeded: 2, failed: 5 });
    expect(body.results.map((r: any) => [r.index, r.status, r.error?.code])).toEqual([
      [0, "created", undefined],
      [1, "error", "duplicate_external_id"],
      [2, "error", "template_not_found"],
      [3, "error", "validation_error"],
      [4, "error", "validation_error"],
      [5, "created", undefined],
      [6, "error", "duplicate_external_id"],
    ]);
    expect(body.results[0].pass).toMatchObject({ id: expect.stringMatching(/^pass_/), serial_number: expect.stringMatching(/^PL-/) });
    expect(body.results[1].error.message).toBe("external_id cust_9822 already exists");
  });

  it("issues 500 passes in one request", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const passes = Array.from({ length: 500 }, (_, i) => ({
      template_id: loyalty.id,
      customer_email: `c${i}@example.com`,
      external_id: `bulk-${i}`,
    }));
    const body = await json(
      await request(`/businesses/${businessId}/passes/bulk`, { method: "POST", headers: keyAuth(liveKey), json: { passes } }),
      200,
    );
    expect(body).toMatchObject({ total: 500, succeeded: 500, failed: 0 });
    const list = await json(await request(`/businesses/${businessId}/passes?limit=100`, { headers: keyAuth(liveKey) }), 200);
    expect(list.has_more).toBe(true);
    const serials = new Set(body.results.map((r: any) => r.pass.serial_number));
    expect(serials.size).toBe(500);
  });

  it("refuses more than 500 items", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const passes = Array.from({ length: 501 }, () => ({ template_id: loyalty.id }));
    expect(
      (await request(`/businesses/${businessId}/passes/bulk`, { method: "POST", headers: keyAuth(liveKey), json: { passes } })).status,
    ).toBe(422);
  });
});

describe("PATCH /passes/bulk", () => {
  it("updates by any identifier and reports each item", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const a = await issue(businessId, liveKey, { template_id: loyalty.id });
    const b = await issue(businessId, liveKey, { template_id: loyalty.id, external_id: "cust_9822" });
    const body = await json(
      await request(`/businesses/${businessId}/passes/bulk`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: {
          passes: [
            { identifier: a.id, points: 200 },
            { identifier: "cust_9822", metadata: { tier: "silver" } },
            { identifier: "nobody", points: 1 },
            { identifier: a.serial_number, balance: 5 },
            { identifier: b.serial_number, external_id: a.id.replace("pass_", "ext_") },
            { points: 3 },
          ],
        },
      }),
      200,
    );
    expect(body).toMatchObject({ total: 6, succeeded: 3, failed: 3 });
    expect(body.results.map((r: any) => [r.status, r.error?.code])).toEqual([
      ["updated", undefined],
      ["updated", undefined],
      ["error", "not_found"],
      ["error", "validation_error"],
      ["updated", undefined],
      ["error", "validation_error"],
    ]);
    expect(body.results[0].pass).toEqual({ id: a.id, serial_number: a.serial_number });
    const after = await json(await request(`/businesses/${businessId}/passes/${b.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(after.metadata).toEqual({ tier: "silver" });
    expect((await json(await request(`/businesses/${businessId}/passes/${a.id}`, { headers: keyAuth(liveKey) }), 200)).points).toBe(200);
  });
});
