import { describe, expect, it } from "vitest";
import { bearer, businessWithTemplates, createTemplate, issue, joinAs, json, keyAuth, request } from "../../support/api";
import { checkIn, scan, scopedKey, walletBarcode } from "../../support/scans";

describe("scan records", () => {
  it("records every scan — who, which key or user, the device, the result — and lists them newest first in pages", async () => {
    const { session, businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket", scan_security: { signed_barcodes: true } });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id });
    const code = await walletBarcode(pass);
    const door = await scopedKey(session, ["scan"], "Door 1");
    const staff = await joinAs(session, "staff");

    await json(await scan(businessId, door.headers, { code, action: "verify", device: "North gate" }), 200);
    await json(await scan(businessId, door.headers, { code, action: "checkin", device: "North gate" }), 200);
    expect((await scan(businessId, bearer(staff), { code, action: "checkin" })).status).toBe(429);
    expect((await checkIn(businessId, bearer(staff), pass.id)).status).toBe(429);
    expect((await scan(businessId, door.headers, { code: pass.serial_number, action: "verify", device: "North gate" })).status).toBe(403);

    const list = await json(await request(`/businesses/${businessId}/passes/${pass.id}/scans`, { headers: keyAuth(liveKey) }), 200);
    expect(list.has_more).toBe(false);
    expect(list.data.map((s: any) => [s.action, s.result, s.reason, s.api_key_id, s.user_id, s.device])).toEqual([
      ["verify", "invalid", "invalid_signature", door.id, null, "North gate"],
      ["checkin", "blocked", "already_checked_in", null, staff.user.id, null],
      ["checkin", "blocked", "already_checked_in", null, staff.user.id, null],
      ["checkin", "checked_in", null, door.id, null, "North gate"],
      ["verify", "valid", null, door.id, null, "North gate"],
    ]);
    expect(list.data[0].code).toBe(pass.serial_number);
    expect(list.data[1].code).toBeNull();
    expect(list.data[4].code).toBe(code);
    for (const s of list.data) {
      expect(s.id).toMatch(/^scan_/);
      expect(Date.parse(s.created_at)).not.toBeNaN();
    }

    const firstPage = await json(
      await request(`/businesses/${businessId}/passes/${pass.serial_number}/scans?limit=2`, { headers: bearer(staff) }),
      200,
    );
    expect(firstPage).toMatchObject({ has_more: true, next_cursor: list.data[1].id });
    const secondPage = await json(
      await request(`/businesses/${businessId}/passes/${pass.id}/scans?limit=2&cursor=${firstPage.next_cursor}`, {
        headers: bearer(staff),
      }),
      200,
    );
    expect(secondPage.data.map((s: any) => s.id)).toEqual([list.data[2].id, list.data[3].id]);

    // Each scan is also in the pass's history, as pass.scanned with what happened.
    const history = await json(await request(`/businesses/${businessId}/passes/${pass.id}/events`, { headers: keyAuth(liveKey) }), 200);
    const scanned = history.data.filter((e: any) => e.type === "pass.scanned");
    expect(scanned).toHaveLength(5);
    expect(scanned[0].data).toMatchObject({
      id: pass.id,
      serial_number: pass.serial_number,
      scan: { id: list.data[0].id, action: "verify", result: "invalid", reason: "invalid_signature", device: "North gate" },
    });
    expect(history.data.filter((e: any) => e.type === "pass.updated")).toHaveLength(1);
  });

  it("answers 404 for the scans of an unknown pass", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    expect((await request(`/businesses/${businessId}/passes/pass_nope/scans`, { headers: keyAuth(liveKey) })).status).toBe(404);
  });
});
