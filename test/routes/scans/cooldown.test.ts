import { describe, expect, it } from "vitest";
import { businessWithTemplates, createTemplate, issue, joinAs, json, keyAuth, request, shardOf } from "../../support/api";
import { checkIn, scan, scopedKey, setTimezone, walletBarcode } from "../../support/scans";

type Biz = Awaited<ReturnType<typeof businessWithTemplates>>;

/** A template with these scan settings and one pass of it, with the code its wallet barcode carries. */
async function passWith(biz: Biz, template: Record<string, unknown>) {
  const tpl = await createTemplate(biz.businessId, biz.liveKey, { name: "Scanned", ...template });
  const pass = await issue(biz.businessId, biz.liveKey, { template_id: tpl.id, customer_name: "Jane Doe" });
  return { tpl, pass, code: await walletBarcode(pass) };
}

/** Moves the pass's check-in times, as if its check-ins had happened then. */
async function setCheckIns(businessId: string, passId: string, times: { first?: string | null; last?: string | null }) {
  const db = await shardOf(businessId);
  if (times.first !== undefined) await db.prepare("UPDATE passes SET first_checked_in_at = ? WHERE id = ?").bind(times.first, passId).run();
  if (times.last !== undefined) await db.prepare("UPDATE passes SET checked_in_at = ? WHERE id = ?").bind(times.last, passId).run();
}

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

async function stampsOf(businessId: string, passId: string) {
  const row = await (await shardOf(businessId))
    .prepare(
      "SELECT stamps, (SELECT COALESCE(SUM(delta), 0) FROM ledger_entries WHERE pass_id = ? AND kind = 'stamps') AS ledger FROM passes WHERE id = ?",
    )
    .bind(passId, passId)
    .first<{ stamps: number; ledger: number }>();
  return row!;
}

describe("scan cooldowns", () => {
  it("without a cooldown, every check-in is allowed", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, { type: "loyalty", scan_security: { cooldown_seconds: null } });
    for (let i = 0; i < 3; i++) {
      const body = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" }), 200);
      expect(body).toMatchObject({ valid: true, checked_in: true, checkin_allowed: true, pass: { id: pass.id } });
      expect(body.pass.checked_in_at).toBeTruthy();
    }
    expect((await json(await checkIn(biz.businessId, keyAuth(biz.liveKey), pass.id), 200)).id).toBe(pass.id);
  });

  it("one-time: after the first check-in every later one is 429 'Already checked in at HH:MM' in the business's timezone", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, { type: "event_ticket", scan_security: { cooldown_seconds: 0 } });
    const first = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" }), 200);
    expect(first.pass).toMatchObject({ status: "checked_in" });

    // 13:30 UTC on a summer day, read in four timezones.
    await setCheckIns(biz.businessId, pass.id, { first: "2026-07-07T13:30:00.000Z", last: "2026-07-07T13:30:00.000Z" });
    for (const [timezone, clock] of [
      ["UTC", "13:30"],
      ["Europe/London", "14:30"],
      ["America/New_York", "09:30"],
      ["Asia/Kolkata", "19:00"],
    ] as const) {
      await setTimezone(biz.session, timezone);
      const refused = await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" });
      expect(refused.status, timezone).toBe(429);
      expect(await refused.json()).toEqual({ error: { code: "rate_limited", message: `Already checked in at ${clock}`, status: 429 } });
      // Never: nothing a scanner could wait for.
      expect(refused.headers.get("retry-after")).toBeNull();

      const viaEndpoint = await checkIn(biz.businessId, keyAuth(biz.liveKey), pass.id);
      expect(viaEndpoint.status).toBe(429);
      expect((await viaEndpoint.json<any>()).error.message).toBe(`Already checked in at ${clock}`);
    }

    // Verify is always allowed, and says why a check-in would not be.
    const verified = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "verify" }), 200);
    expect(verified).toMatchObject({
      valid: true,
      checked_in: false,
      checkin_allowed: false,
      reason: "already_checked_in",
      message: "Already checked in at 19:00",
    });
    expect(verified.retry_after_seconds).toBeUndefined();
  });

  it("a window blocks check-ins within it with 'Try again in …' and Retry-After, and allows them after", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, { type: "loyalty", scan_security: { cooldown_seconds: 300 } });
    await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" }), 200);

    const immediately = await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" });
    expect(immediately.status).toBe(429);
    expect((await immediately.json<any>()).error.message).toMatch(/^Try again in (5m|4m 5\ds)$/);

    await setCheckIns(biz.businessId, pass.id, { last: secondsAgo(100) });
    const refused = await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: { code: "rate_limited", message: "Try again in 3m 20s", status: 429 } });
    expect(refused.headers.get("retry-after")).toBe("200");
    const viaEndpoint = await checkIn(biz.businessId, keyAuth(biz.liveKey), pass.id);
    expect(viaEndpoint.status).toBe(429);
    expect(viaEndpoint.headers.get("retry-after")).toBe("200");

    const verified = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "verify" }), 200);
    expect(verified).toMatchObject({
      valid: true,
      checkin_allowed: false,
      reason: "cooldown",
      message: "Try again in 3m 20s",
      retry_after_seconds: 200,
    });

    await setCheckIns(biz.businessId, pass.id, { last: secondsAgo(301) });
    expect((await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" }), 200)).checked_in).toBe(true);
  });

  it("words the time left in its two largest units", async () => {
    const biz = await businessWithTemplates();
    for (const [cooldown, elapsed, message, retryAfter] of [
      [60, 15, "Try again in 45s", "45"],
      [86_400, 86_400 - 3_900, "Try again in 1h 5m", "3900"],
      [7_200, 3_600, "Try again in 1h", "3600"],
    ] as const) {
      const { pass, code } = await passWith(biz, { type: "loyalty", scan_security: { cooldown_seconds: cooldown } });
      await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" }), 200);
      await setCheckIns(biz.businessId, pass.id, { last: secondsAgo(elapsed) });
      const refused = await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" });
      expect((await refused.json<any>()).error.message).toBe(message);
      expect(refused.headers.get("retry-after")).toBe(retryAfter);
    }
  });

  it("50 concurrent check-ins of a one-time ticket from two door keys and the checkin endpoint: exactly one succeeds", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, { type: "event_ticket", scan_security: { cooldown_seconds: 0 } });
    const [doorA, doorB] = await Promise.all([scopedKey(biz.session, ["scan"], "Door A"), scopedKey(biz.session, ["scan"], "Door B")]);
    const staff = await joinAs(biz.session, "staff");
    const attempts = Array.from({ length: 50 }, (_, i) => {
      if (i % 3 === 0) return scan(biz.businessId, doorA.headers, { code, action: "checkin", device: "A" });
      if (i % 3 === 1) return scan(biz.businessId, doorB.headers, { code, action: "checkin", device: "B" });
      return checkIn(biz.businessId, { authorization: `Bearer ${staff.access_token}` }, pass.id);
    });
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(49);

    const db = await shardOf(biz.businessId);
    const scans = await db
      .prepare("SELECT result, reason, COUNT(*) AS n FROM scans WHERE pass_id = ? GROUP BY result, reason ORDER BY result")
      .bind(pass.id)
      .all<{ result: string; reason: string | null; n: number }>();
    expect(scans.results).toEqual([
      { result: "blocked", reason: "already_checked_in", n: 49 },
      { result: "checked_in", reason: null, n: 1 },
    ]);
    const events = await db
      .prepare("SELECT type, COUNT(*) AS n FROM events WHERE pass_id = ? AND type != 'pass.created' GROUP BY type ORDER BY type")
      .bind(pass.id)
      .all<{ type: string; n: number }>();
    expect(events.results).toEqual([
      { type: "pass.scanned", n: 50 },
      { type: "pass.updated", n: 1 },
    ]);
  });

  it("auto-stamp: a verify scan checks in and adds one stamp; without a cooldown every scan stamps", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, { type: "loyalty", stamp_goal: 10, scan_security: { auto_stamp: true } });
    for (let i = 1; i <= 3; i++) {
      const body = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "verify" }), 200);
      expect(body).toMatchObject({ valid: true, checked_in: true, pass: { stamps: i } });
    }
    expect(await stampsOf(biz.businessId, pass.id)).toEqual({ stamps: 3, ledger: 3 });
  });

  it("auto-stamp with a cooldown stamps once per window, however many scanners verify at once", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, {
      type: "loyalty",
      stamp_goal: 10,
      scan_security: { auto_stamp: true, cooldown_seconds: 600 },
    });
    const [doorA, doorB] = await Promise.all([scopedKey(biz.session, ["scan"]), scopedKey(biz.session, ["scan"])]);
    const scans = await Promise.all(
      Array.from({ length: 12 }, (_, i) => scan(biz.businessId, (i % 2 ? doorA : doorB).headers, { code, action: "verify" })),
    );
    const bodies = await Promise.all(scans.map((r) => json(r, 200)));
    expect(bodies.filter((b) => b.checked_in)).toHaveLength(1);
    for (const refused of bodies.filter((b) => !b.checked_in)) {
      expect(refused).toMatchObject({ valid: true, checkin_allowed: false, reason: "cooldown" });
      expect(refused.message).toMatch(/^Try again in (10m|9m \d+s)$/);
    }
    expect(await stampsOf(biz.businessId, pass.id)).toEqual({ stamps: 1, ledger: 1 });

    await setCheckIns(biz.businessId, pass.id, { last: secondsAgo(601) });
    expect((await json(await scan(biz.businessId, doorA.headers, { code, action: "verify" }), 200)).pass.stamps).toBe(2);
    expect(await stampsOf(biz.businessId, pass.id)).toEqual({ stamps: 2, ledger: 2 });
  });

  it("auto-stamp on a template without stamps checks in without stamping", async () => {
    const biz = await businessWithTemplates();
    const { code } = await passWith(biz, { type: "event_ticket", scan_security: { auto_stamp: true } });
    const body = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "verify" }), 200);
    expect(body).toMatchObject({ checked_in: true, pass: { status: "checked_in", stamps: 0 } });
    const again = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "verify" }), 200);
    expect(again).toMatchObject({ checked_in: false, checkin_allowed: false, reason: "already_checked_in" });
  });

  it("reactivating a checked-in ticket opens it for one more check-in", async () => {
    const biz = await businessWithTemplates();
    const { pass, code } = await passWith(biz, { type: "event_ticket" });
    await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" }), 200);
    expect((await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" })).status).toBe(429);
    const reactivated = await json(
      await request(`/businesses/${biz.businessId}/passes/${pass.id}/reactivate`, { method: "POST", headers: keyAuth(biz.liveKey) }),
      200,
    );
    expect(reactivated).toMatchObject({ status: "active", checked_in_at: null });
    expect((await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" })).status).toBe(200);
    expect((await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" })).status).toBe(429);
  });

  it("a voided, redeemed or expired pass cannot check in (409 with the reason); verify says it is not valid", async () => {
    const biz = await businessWithTemplates();
    const act = (id: string, path: string, method = "POST") =>
      request(`/businesses/${biz.businessId}/passes/${id}${path}`, { method, headers: keyAuth(biz.liveKey) });
    const voided = await passWith(biz, { type: "loyalty" });
    await json(await act(voided.pass.id, "", "DELETE"), 200);
    const redeemed = await passWith(biz, { type: "coupon" });
    await json(await act(redeemed.pass.id, "/redeem"), 200);
    const expired = await passWith(biz, { type: "loyalty" });
    await (await shardOf(biz.businessId))
      .prepare("UPDATE passes SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
      .bind(expired.pass.id)
      .run();

    for (const [{ pass, code }, reason, message] of [
      [voided, "voided", `Pass ${voided.pass.serial_number} is voided; reactivate it first`],
      [redeemed, "redeemed", `Pass ${redeemed.pass.serial_number} has already been redeemed`],
      [expired, "expired", `Pass ${expired.pass.serial_number} expired at 2020-01-01T00:00:00.000Z`],
    ] as const) {
      const refused = await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "checkin" });
      expect(refused.status, reason).toBe(409);
      expect(await refused.json()).toEqual({ error: { code: "conflict", message, status: 409 } });
      expect((await checkIn(biz.businessId, keyAuth(biz.liveKey), pass.id)).status).toBe(409);
      const verified = await json(await scan(biz.businessId, keyAuth(biz.liveKey), { code, action: "verify" }), 200);
      expect(verified).toMatchObject({ valid: false, checked_in: false, checkin_allowed: false, reason, message });
    }
  });
});
