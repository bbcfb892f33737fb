import { describe, expect, it } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request, shardOf } from "../../support/api";

async function listing(businessId: string, key: string) {
  const list = (query: string) => request(`/businesses/${businessId}/passes?${query}`, { headers: keyAuth(key) });
  const ids = async (query: string) => (await json(await list(query), 200)).data.map((p: { id: string }) => p.id);
  /** Every id, following next_cursor page by page. */
  const all = async (query: string, limit = 2) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string }>; next_cursor: string | null } = await json(
        await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`),
        200,
      );
      seen.push(...page.data.map((p) => p.id));
      cursor = page.next_cursor;
    } while (cursor);
    return seen;
  };
  return { list, ids, all };
}

describe("listing passes", () => {
  it("searches name, email, external_id and serial by substring, every word, newest first, page by page", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const jane = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Jane Doe", customer_email: "jane@acme.test" });
    const janet = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Janet Doe", external_id: "crm-77123" });
    const bob = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Bob Stone", customer_email: "bob@acme.test" });
    const { ids, all, list } = await listing(businessId, liveKey);

    expect(await ids("q=jane")).toEqual([janet.id, jane.id]);
    expect(await ids("q=JANE%20doe")).toEqual([janet.id, jane.id]);
    expect(await ids("q=acme.test")).toEqual([bob.id, jane.id]);
    expect(await ids("q=77123")).toEqual([janet.id]);
    expect(await ids(`q=${bob.serial_number.slice(-7)}`)).toEqual([bob.id]);
    expect(await all("q=doe", 1)).toEqual([janet.id, jane.id]);
    expect(await ids("q=nobody")).toEqual([]);

    // A renamed customer is found by the new name only: the index follows every change.
    await request(`/businesses/${businessId}/passes/${janet.id}`, {
      method: "PATCH",
      headers: keyAuth(liveKey),
      json: { customer_name: "Jill Doe" },
    });
    expect(await ids("q=jill")).toEqual([janet.id]);
    expect(await ids("q=janet")).toEqual([]);

    const short = await list("q=ja");
    expect(short.status).toBe(422);
    expect((await short.json<{ error: { fields: Array<{ path: string; message: string }> } }>()).error.fields).toEqual([
      { path: "q", message: "Search for at least 3 characters" },
    ]);
  });

  it("filters by change time and by expiry, each in its own order, with cursors that continue it", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const passes = [];
    for (let i = 0; i < 4; i++) passes.push(await issue(businessId, liveKey, { template_id: loyalty.id }));
    const db = await shardOf(businessId);
    const expiry = ["2030-03-01T00:00:00.000Z", "2030-01-01T00:00:00.000Z", "2030-02-01T00:00:00.000Z", null];
    for (const [i, pass] of passes.entries())
      await db.prepare("UPDATE passes SET expires_at = ? WHERE id = ?").bind(expiry[i], pass.id).run();
    const since = new Date().toISOString();
    await request(`/businesses/${businessId}/passes/${passes[1].id}/stamp`, { method: "POST", headers: keyAuth(liveKey) });
    await request(`/businesses/${businessId}/passes/${passes[0].id}/stamp`, { method: "POST", headers: keyAuth(liveKey) });
    const { all, list } = await listing(businessId, liveKey);

    expect(await all(`updated_since=${since}`, 1)).toEqual([passes[0].id, passes[1].id]);
    expect(await all("expires_before=2031-01-01T00:00:00Z", 1)).toEqual([passes[1].id, passes[2].id, passes[0].id]);
    expect(await all("expires_before=2030-02-15T00:00:00Z")).toEqual([passes[1].id, passes[2].id]);

    // A cursor from one order is refused by another, not silently misread.
    const page = await json(await list("expires_before=2031-01-01T00:00:00Z&limit=1"), 200);
    expect((await list(`limit=1&cursor=${page.next_cursor}`)).status).toBe(422);
    expect((await list("cursor=not-a-cursor")).status).toBe(422);
  });

  it("lists expired passes, most recently expired first", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const [a, b, c] = [
      await issue(businessId, liveKey, { template_id: loyalty.id }),
      await issue(businessId, liveKey, { template_id: loyalty.id }),
      await issue(businessId, liveKey, { template_id: loyalty.id }),
    ];
    const db = await shardOf(businessId);
    await db.prepare("UPDATE passes SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").bind(a.id).run();
    await db.prepare("UPDATE passes SET expires_at = '2021-01-01T00:00:00.000Z' WHERE id = ?").bind(b.id).run();
    const { all } = await listing(businessId, liveKey);
    expect(await all("status=expired", 1)).toEqual([b.id, a.id]);
    expect(await all("status=active")).toEqual([c.id]);
  });
});
