import { describe, expect, it } from "vitest";
import { businessWithTemplates, createTemplate, issue, json, keyAuth, request, shardOf } from "../../support/api";
import { checkIn } from "../../support/scans";

const act = (businessId: string, key: string, identifier: string, path: string) =>
  request(`/businesses/${businessId}/passes/${identifier}${path}`, { method: "POST", headers: keyAuth(key) });

const patch = (businessId: string, key: string, identifier: string, body: unknown) =>
  request(`/businesses/${businessId}/passes/${identifier}`, { method: "PATCH", headers: keyAuth(key), json: body });

const read = async (businessId: string, key: string, identifier: string) =>
  json(await request(`/businesses/${businessId}/passes/${identifier}`, { headers: keyAuth(key) }), 200);

/** The pass's stored counter and the sum of its ledger: they must always agree. */
async function storedAndLedger(businessId: string, passId: string, counter: "balance" | "points" | "stamps") {
  const db = await shardOf(businessId);
  const column = counter === "balance" ? "balance_minor" : counter;
  const stored = await db.prepare(`SELECT ${column} AS value, typeof(${column}) AS type FROM passes WHERE id = ?`).bind(passId).first();
  const ledger = await db
    .prepare("SELECT COALESCE(SUM(delta), 0) AS total FROM ledger_entries WHERE pass_id = ? AND kind = ?")
    .bind(passId, counter)
    .first<{ total: number }>();
  return { stored: stored!.value as number, type: stored!.type as string, ledger: ledger!.total };
}

async function expectRefused(res: Response, field: string, message: RegExp) {
  expect(res.status).toBe(422);
  const { error } = await res.json<{ error: { code: string; message: string; fields: Array<{ path: string; message: string }> } }>();
  expect(error.code).toBe("validation_error");
  expect(error.message).toMatch(message);
  expect(error.fields.map((f) => f.path)).toContain(field);
}

describe("money and counter maxima", () => {
  it("refuses one amount over 1,000,000,000 minor units, such as the 2^53 top-up", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 10 });
    await expectRefused(await act(businessId, liveKey, pass.id, "/topup?amount=90071992547409.91"), "amount", /at most 10000000 GBP/);
    await expectRefused(await act(businessId, liveKey, pass.id, "/charge?amount=10000000.01"), "amount", /at most/);
    expect((await json(await act(businessId, liveKey, pass.id, "/topup?amount=10000000"), 200)).balance).toBe(10000010);
    expect(await storedAndLedger(businessId, pass.id, "balance")).toEqual({ stored: 1000001000, type: "integer", ledger: 1000001000 });
  });

  it("tops up to just under the balance maximum, then refuses going over and leaves the balance unchanged", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    // 10^12 minor units is 10,000,000,000.00 GBP; the opening balance is at most that.
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 9_999_999_990 });
    expect((await json(await act(businessId, liveKey, pass.id, "/topup?amount=9.99"), 200)).balance).toBe(9_999_999_999.99);
    await expectRefused(await act(businessId, liveKey, pass.id, "/topup?amount=0.02"), "amount", /maximum balance of 10000000000 GBP/);
    expect((await read(businessId, liveKey, pass.id)).balance).toBe(9_999_999_999.99);
    expect((await json(await act(businessId, liveKey, pass.id, "/topup?amount=0.01"), 200)).balance).toBe(10_000_000_000);
    await expectRefused(await act(businessId, liveKey, pass.id, "/topup?amount=0.01"), "amount", /maximum balance/);
    expect((await json(await act(businessId, liveKey, pass.id, "/charge?amount=1"), 200)).balance).toBe(9_999_999_999);
    expect(await storedAndLedger(businessId, pass.id, "balance")).toEqual({
      stored: 999_999_999_900,
      type: "integer",
      ledger: 999_999_999_900,
    });
  });

  it("refuses an opening or PATCHed balance past the maximum, alone and in bulk", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const over = { template_id: giftCard.id, initial_balance: 10_000_000_000.01 };
    await expectRefused(
      await request(`/businesses/${businessId}/passes`, { method: "POST", headers: keyAuth(liveKey), json: over }),
      "initial_balance",
      /maximum balance/,
    );
    const bulk = await json(
      await request(`/businesses/${businessId}/passes/bulk`, { method: "POST", headers: keyAuth(liveKey), json: { passes: [over] } }),
      200,
    );
    expect(bulk.results[0]).toMatchObject({ status: "error", error: { code: "validation_error" } });
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 5 });
    await expectRefused(await patch(businessId, liveKey, pass.id, { balance: 10_000_000_000.01 }), "balance", /maximum balance/);
    const bulkPatch = await json(
      await request(`/businesses/${businessId}/passes/bulk`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { passes: [{ identifier: pass.id, balance: 10_000_000_000.01 }] },
      }),
      200,
    );
    expect(bulkPatch.results[0]).toMatchObject({ status: "error", error: { code: "validation_error" } });
    expect((await json(await patch(businessId, liveKey, pass.id, { balance: 10_000_000_000 }), 200)).balance).toBe(10_000_000_000);
    expect(await storedAndLedger(businessId, pass.id, "balance")).toEqual({ stored: 10 ** 12, type: "integer", ledger: 10 ** 12 });
  });

  it("keeps points and stamps within their maxima on every action", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id, points: 999_999_999 });
    expect((await json(await act(businessId, liveKey, pass.id, "/points?points=1"), 200)).points).toBe(10 ** 9);
    await expectRefused(await act(businessId, liveKey, pass.id, "/points?points=1"), "points", /maximum of 1000000000 points/);
    await expectRefused(await patch(businessId, liveKey, pass.id, { points: 10 ** 9 + 1 }), "points", /./);
    expect((await json(await patch(businessId, liveKey, pass.id, { stamps: 99_999 }), 200)).stamps).toBe(99_999);
    await expectRefused(await act(businessId, liveKey, pass.id, "/stamp?count=2"), "count", /maximum of 100000 stamps/);
    expect((await json(await act(businessId, liveKey, pass.id, "/stamp?count=1"), 200)).stamps).toBe(100_000);
    expect((await read(businessId, liveKey, pass.id)).points).toBe(10 ** 9);
    expect(await storedAndLedger(businessId, pass.id, "points")).toEqual({ stored: 10 ** 9, type: "integer", ledger: 10 ** 9 });
    expect(await storedAndLedger(businessId, pass.id, "stamps")).toEqual({ stored: 100_000, type: "integer", ledger: 100_000 });
  });

  it("checks in at the stamp maximum without stamping past it, and the ledger still agrees", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Auto", type: "loyalty", scan_security: { auto_stamp: true } });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id });
    await json(await patch(businessId, liveKey, pass.id, { stamps: 99_999 }), 200);
    expect((await json(await checkIn(businessId, keyAuth(liveKey), pass.id), 200)).stamps).toBe(100_000);
    const atMaximum = await json(await checkIn(businessId, keyAuth(liveKey), pass.id), 200);
    expect(atMaximum).toMatchObject({ stamps: 100_000, checked_in_at: expect.any(String) });
    expect(await storedAndLedger(businessId, pass.id, "stamps")).toEqual({ stored: 100_000, type: "integer", ledger: 100_000 });
  });
});
