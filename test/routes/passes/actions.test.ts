import { describe, expect, it } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request, shardOf } from "../../support/api";

async function act(businessId: string, key: string, identifier: string, path: string, method = "POST") {
  return request(`/businesses/${businessId}/passes/${identifier}${path}`, { method, headers: keyAuth(key) });
}

async function ledgerSum(businessId: string, passId: string, kind: string) {
  const row = await (await shardOf(businessId))
    .prepare("SELECT COALESCE(SUM(delta), 0) AS total FROM ledger_entries WHERE pass_id = ? AND kind = ?")
    .bind(passId, kind)
    .first<{ total: number }>();
  return row!.total;
}

describe("pass actions", () => {
  it("stamps, adds points, and returns the updated pass", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const stamped = await json(await act(businessId, liveKey, pass.id, "/stamp?count=3"), 200);
    expect(stamped).toMatchObject({ id: pass.id, stamps: 3, status: "active" });
    expect(stamped.updated_at >= pass.updated_at).toBe(true);
    expect((await json(await act(businessId, liveKey, pass.serial_number, "/stamp"), 200)).stamps).toBe(4);
    expect((await json(await act(businessId, liveKey, pass.id, "/points?points=50"), 200)).points).toBe(50);
    expect(await ledgerSum(businessId, pass.id, "stamps")).toBe(4);
    expect(await ledgerSum(businessId, pass.id, "points")).toBe(50);
  });

  it("charges and tops up in exact minor units", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 100 });
    expect((await json(await act(businessId, liveKey, pass.id, "/charge?amount=15.0"), 200)).balance).toBe(85);
    expect((await json(await act(businessId, liveKey, pass.id, "/topup?amount=20.0"), 200)).balance).toBe(105);
    expect((await json(await act(businessId, liveKey, pass.id, "/charge?amount=0.1"), 200)).balance).toBe(104.9);
    expect((await json(await act(businessId, liveKey, pass.id, "/charge?amount=0.2"), 200)).balance).toBe(104.7);
    expect(await ledgerSum(businessId, pass.id, "balance")).toBe(10470);
  });

  it("refuses a charge beyond the balance with 400 and deducts nothing", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 10 });
    const res = await act(businessId, liveKey, pass.id, "/charge?amount=10.01");
    expect(res.status).toBe(400);
    expect((await res.json<any>()).error).toMatchObject({
      code: "bad_request",
      status: 400,
      message: "Insufficient balance: 10 GBP available, 10.01 requested",
    });
    expect((await json(await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: keyAuth(liveKey) }), 200)).balance).toBe(10);
    expect(await ledgerSum(businessId, pass.id, "balance")).toBe(1000);
  });

  it("validates amounts: positive, at most the currency's decimals", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 10 });
    for (const amount of ["0", "-5", "1.234", "abc", "1e3", ""]) {
      const res = await act(businessId, liveKey, pass.id, `/charge?amount=${amount}`);
      expect(res.status, amount).toBe(422);
    }
    expect((await act(businessId, liveKey, pass.id, "/stamp?count=0")).status).toBe(422);
    expect((await act(businessId, liveKey, pass.id, "/charge")).status).toBe(422);
  });

  it("allows stamps, points and balance only on types that have them", async () => {
    const { businessId, liveKey, ticket, giftCard, loyalty } = await businessWithTemplates();
    const t = await issue(businessId, liveKey, { template_id: ticket.id });
    const g = await issue(businessId, liveKey, { template_id: giftCard.id });
    const l = await issue(businessId, liveKey, { template_id: loyalty.id });
    for (const [id, path] of [
      [t.id, "/stamp"],
      [t.id, "/charge?amount=1"],
      [g.id, "/stamp"],
      [g.id, "/points?points=1"],
      [l.id, "/topup?amount=1"],
    ] as const) {
      const res = await act(businessId, liveKey, id, path);
      expect(res.status, path).toBe(400);
      expect((await res.json<any>()).error.message).toMatch(/has no (stamps|points|balance)/);
    }
  });

  it("checks in an event ticket once, redeems, voids and reactivates", async () => {
    const { businessId, liveKey, ticket } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: ticket.id });
    const checked = await json(await act(businessId, liveKey, pass.id, "/checkin"), 200);
    expect(checked).toMatchObject({ status: "checked_in" });
    expect(Date.parse(checked.checked_in_at)).not.toBeNaN();
    // A ticket's template is one-time by default: the cooldown refuses a second check-in.
    expect((await act(businessId, liveKey, pass.id, "/checkin")).status).toBe(429);

    const redeemed = await json(await act(businessId, liveKey, pass.id, "/redeem"), 200);
    expect(redeemed).toMatchObject({ status: "redeemed" });
    expect((await act(businessId, liveKey, pass.id, "/redeem")).status).toBe(409);

    const voided = await json(await act(businessId, liveKey, pass.id, "", "DELETE"), 200);
    expect(voided).toMatchObject({ status: "voided" });
    expect(voided.voided_at).toBeTruthy();
    const refused = await act(businessId, liveKey, pass.id, "/checkin");
    expect(refused.status).toBe(409);
    expect((await refused.json<any>()).error.message).toBe(`Pass ${pass.serial_number} is voided; reactivate it first`);
    expect((await act(businessId, liveKey, pass.id, "", "DELETE")).status).toBe(409);

    const back = await json(await act(businessId, liveKey, pass.id, "/reactivate"), 200);
    expect(back).toMatchObject({ status: "active" });
    expect(back.reactivated_at).toBeTruthy();
    expect((await act(businessId, liveKey, pass.id, "/reactivate")).status).toBe(409);
  });

  it("refuses actions on an expired pass", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    await (await shardOf(businessId)).prepare("UPDATE passes SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").bind(pass.id).run();
    expect((await json(await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: keyAuth(liveKey) }), 200)).status).toBe(
      "expired",
    );
    const res = await act(businessId, liveKey, pass.id, "/stamp");
    expect(res.status).toBe(409);
    expect((await res.json<any>()).error.message).toContain("expired");
  });

  it("answers 404 for an unknown pass", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const res = await act(businessId, liveKey, "pass_nope", "/stamp");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "not_found", message: "Pass with identifier pass_nope does not exist.", status: 404 },
    });
  });

  it("succeeds exactly 10 times for 20 concurrent charges of 10 on 104.70, and the ledger agrees", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 104.7 });
    const results = await Promise.all(Array.from({ length: 20 }, () => act(businessId, liveKey, pass.id, "/charge?amount=10")));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    const after = await json(await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(after.balance).toBe(4.7);
    expect(await ledgerSum(businessId, pass.id, "balance")).toBe(470);
  });

  it("writes an event for every change, readable as the pass's history", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 20 });
    await act(businessId, liveKey, pass.id, "/charge?amount=5");
    await act(businessId, liveKey, pass.id, "/charge?amount=500");
    await act(businessId, liveKey, pass.id, "/redeem");
    await act(businessId, liveKey, pass.id, "", "DELETE");
    const history = await json(await request(`/businesses/${businessId}/passes/${pass.id}/events`, { headers: keyAuth(liveKey) }), 200);
    expect(history.data.map((e: any) => e.type)).toEqual(["pass.voided", "pass.redeemed", "pass.updated", "pass.created"]);
    expect(history.data[2].data).toMatchObject({
      action: "charge",
      amount: 5,
      balance: 15,
      serial_number: pass.serial_number,
      business_id: businessId,
    });
    const page = await json(
      await request(`/businesses/${businessId}/passes/${pass.id}/events?limit=2`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(page).toMatchObject({ has_more: true, next_cursor: history.data[1].id });
  });

  it("bumps the version counter on every change", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    await act(businessId, liveKey, pass.id, "/stamp");
    await act(businessId, liveKey, pass.id, "/points?points=5");
    const row = await (await shardOf(businessId))
      .prepare("SELECT version FROM passes WHERE id = ?")
      .bind(pass.id)
      .first<{ version: number }>();
    expect(row!.version).toBe(3);
  });
});
