import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { signBarcode } from "../../../src/domain/barcodes";
import { businessWithTemplates, createTemplate, issue, json, keyAuth, request, shardOf } from "../../support/api";
import { pushesTo, waitForPushes } from "../../support/apns-stand-in-client";
import { pipelineIdle } from "../../support/pipeline";
import { answerGoogleTokens } from "../../support/recorder";
import { scan, walletBarcode } from "../../support/scans";

const PASS_TYPE = "pass.dev.passlite.local";
const validationUrl = (serial: string) => `${env.APP_ORIGIN}/validate/${serial}`;
const secret = () => env.BARCODE_SIGNING_SECRET!;

async function scanRows(businessId: string, passId: string) {
  return (
    await (
      await shardOf(businessId)
    )
      .prepare("SELECT action, result, reason, code FROM scans WHERE pass_id = ? ORDER BY id")
      .bind(passId)
      .all<{ action: string; result: string; reason: string | null; code: string | null }>()
  ).results;
}

/** Registers an Apple device for the pass, so a change pushes to it. */
async function installOnIphone(businessId: string, pass: { id: string; serial_number: string }) {
  // pass.created's own wallet update first, so it cannot reach the device registered below.
  await pipelineIdle();
  const db = await shardOf(businessId);
  const token = (await db.prepare("SELECT auth_token FROM passes WHERE id = ?").bind(pass.id).first<{ auth_token: string }>())!.auth_token;
  const pushToken = `push-${crypto.randomUUID()}`;
  const res = await request(`/wallet/apple/v1/devices/dev-${crypto.randomUUID()}/registrations/${PASS_TYPE}/${pass.serial_number}`, {
    method: "POST",
    headers: { authorization: `ApplePass ${token}` },
    json: { pushToken },
  });
  expect(res.status).toBe(201);
  await pipelineIdle();
  expect(await pushesTo(pushToken)).toEqual([]);
  return pushToken;
}

describe("scanned codes", () => {
  beforeAll(() => answerGoogleTokens());

  it("finds a pass by its validation URL or its bare serial; an unknown code is 404 and records nothing", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const code = await walletBarcode(pass);
    expect(code).toBe(validationUrl(pass.serial_number));
    for (const scanned of [code, pass.serial_number, `  ${code}\n`]) {
      const body = await json(await scan(businessId, keyAuth(liveKey), { code: scanned, action: "verify" }), 200);
      expect(body).toMatchObject({ valid: true, checkin_allowed: true, pass: { id: pass.id } });
    }
    for (const unknown of ["PL-ZZZZZ-00000-00000", `${env.APP_ORIGIN}/validate/PL-ZZZZZ-00000-00000`, "TICKET-NOPE"]) {
      const res = await scan(businessId, keyAuth(liveKey), { code: unknown, action: "checkin" });
      expect(res.status, unknown).toBe(404);
      expect((await res.json<any>()).error).toMatchObject({ code: "not_found", message: "No pass matches the scanned code" });
    }
    expect(await scanRows(businessId, pass.id)).toHaveLength(3);
  });

  it("does not find another business's pass, nor a test pass with a live key", async () => {
    const mine = await businessWithTemplates();
    const theirs = await businessWithTemplates();
    const theirPass = await issue(theirs.businessId, theirs.liveKey, { template_id: theirs.loyalty.id });
    const res = await scan(mine.businessId, keyAuth(mine.liveKey), { code: await walletBarcode(theirPass), action: "verify" });
    expect(res.status).toBe(404);
    const testTemplate = await createTemplate(mine.businessId, mine.testKey, { name: "T", type: "loyalty" });
    const testPass = await issue(mine.businessId, mine.testKey, { template_id: testTemplate.id });
    expect((await scan(mine.businessId, keyAuth(mine.liveKey), { code: testPass.serial_number, action: "verify" })).status).toBe(404);
    expect((await scan(mine.businessId, keyAuth(mine.testKey), { code: testPass.serial_number, action: "verify" })).status).toBe(200);
  });

  it("on a signed template accepts the wallet's barcode and refuses forgeries with 403 'Invalid barcode signature'", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const other = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket", scan_security: { signed_barcodes: true } });
    const [pass, neighbour] = [
      await issue(businessId, liveKey, { template_id: tpl.id }),
      await issue(businessId, liveKey, { template_id: tpl.id }),
    ];
    const code = await walletBarcode(pass);
    const sig = new URL(code).searchParams.get("sig")!;
    expect(sig).toMatch(/^[A-Za-z0-9_-]{16}$/);

    const forgeries: Record<string, string> = {
      "no signature": validationUrl(pass.serial_number),
      "bare serial": pass.serial_number,
      "empty signature": `${validationUrl(pass.serial_number)}?sig=`,
      "truncated signature": `${validationUrl(pass.serial_number)}?sig=${sig.slice(0, 15)}`,
      "one character changed": `${validationUrl(pass.serial_number)}?sig=${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`,
      "signature moved to another serial": `${validationUrl(neighbour.serial_number)}?sig=${sig}`,
      "another business's signature": `${validationUrl(pass.serial_number)}?sig=${await signBarcode(secret(), other.businessId, pass.serial_number, 1)}`,
      "another key version's signature": `${validationUrl(pass.serial_number)}?sig=${await signBarcode(secret(), businessId, pass.serial_number, 2)}`,
    };
    for (const [what, forged] of Object.entries(forgeries)) {
      for (const action of ["verify", "checkin"] as const) {
        const res = await scan(businessId, keyAuth(liveKey), { code: forged, action });
        expect(res.status, `${what} (${action})`).toBe(403);
        expect(await res.json()).toEqual({ error: { code: "forbidden", message: "Invalid barcode signature", status: 403 } });
      }
    }
    // Nothing was checked in, and each attempt is on the record.
    const neighbourRows = await scanRows(businessId, neighbour.id);
    expect(neighbourRows).toHaveLength(2);
    const rows = await scanRows(businessId, pass.id);
    expect(rows).toHaveLength(14);
    expect(new Set(rows.map((r) => `${r.result}/${r.reason}`))).toEqual(new Set(["invalid/invalid_signature"]));

    const body = await json(await scan(businessId, keyAuth(liveKey), { code, action: "checkin" }), 200);
    expect(body).toMatchObject({ valid: true, checked_in: true, pass: { id: pass.id, status: "checked_in" } });
  });

  it("re-issues one pass's barcode: the old signature stops working, the new one works, and the phone is told", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Member", type: "membership", scan_security: { signed_barcodes: true } });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id });
    const bystander = await issue(businessId, liveKey, { template_id: tpl.id });
    const pushToken = await installOnIphone(businessId, pass);
    const [before, bystanderCode] = [await walletBarcode(pass), await walletBarcode(bystander)];

    const rotated = await json(
      await request(`/businesses/${businessId}/passes/${pass.id}/rotate-barcode`, { method: "POST", headers: keyAuth(liveKey) }),
      200,
    );
    expect(rotated.id).toBe(pass.id);
    await waitForPushes(pushToken);
    const after = await walletBarcode(pass);
    expect(after).not.toBe(before);
    expect(after.startsWith(`${validationUrl(pass.serial_number)}?sig=`)).toBe(true);

    expect((await scan(businessId, keyAuth(liveKey), { code: before, action: "verify" })).status).toBe(403);
    expect((await scan(businessId, keyAuth(liveKey), { code: after, action: "verify" })).status).toBe(200);
    expect((await scan(businessId, keyAuth(liveKey), { code: bystanderCode, action: "verify" })).status).toBe(200);
    const history = await json(await request(`/businesses/${businessId}/passes/${pass.id}/events`, { headers: keyAuth(liveKey) }), 200);
    expect(history.data.map((e: any) => e.data.action)).toContain("rotate_barcode");
  });

  it("turning signing on and off re-renders the barcodes and changes what a scan accepts", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const pushToken = await installOnIphone(businessId, pass);
    const unsigned = await walletBarcode(pass);
    let pushes = 0;
    // The template edit reaches the phone through the fan-out: one push per edit.
    const setSigning = async (on: boolean) => {
      await json(
        await request(`/businesses/${businessId}/templates/${loyalty.id}`, {
          method: "PATCH",
          headers: keyAuth(liveKey),
          json: { scan_security: { signed_barcodes: on } },
        }),
        200,
      );
      await waitForPushes(pushToken, ++pushes);
    };

    await setSigning(true);
    const signed = await walletBarcode(pass);
    expect(signed).toMatch(new RegExp(`^${unsigned.replace(/[.?]/g, "\\$&")}\\?sig=`));
    expect((await scan(businessId, keyAuth(liveKey), { code: unsigned, action: "verify" })).status).toBe(403);
    expect((await scan(businessId, keyAuth(liveKey), { code: signed, action: "verify" })).status).toBe(200);

    await setSigning(false);
    expect(await walletBarcode(pass)).toBe(unsigned);
    expect((await scan(businessId, keyAuth(liveKey), { code: unsigned, action: "verify" })).status).toBe(200);
  });

  it("barcode_data overrides the barcode and is what a scan finds; it is unique per business and mode, and null reverts", async () => {
    const { businessId, liveKey, testKey } = await businessWithTemplates();
    const other = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket", scan_security: { signed_barcodes: true } });
    const ticket = `TICKET-XYZ-${crypto.randomUUID()}`;
    const pass = await issue(businessId, liveKey, { template_id: tpl.id, barcode_data: ticket });
    expect(await walletBarcode(pass)).toBe(ticket);

    // The external system's barcode carries no signature of ours: finding the pass by it is the check.
    const found = await json(await scan(businessId, keyAuth(liveKey), { code: ticket, action: "checkin" }), 200);
    expect(found).toMatchObject({ checked_in: true, pass: { id: pass.id, barcode_data: ticket } });

    const duplicate = await request(`/businesses/${businessId}/passes`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { template_id: tpl.id, barcode_data: ticket },
    });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json<any>()).error.message).toBe(`barcode_data ${ticket} is already used by another pass`);
    const second = await issue(businessId, liveKey, { template_id: tpl.id });
    const taken = await request(`/businesses/${businessId}/passes/${second.id}`, {
      method: "PATCH",
      headers: keyAuth(liveKey),
      json: { barcode_data: ticket },
    });
    expect(taken.status).toBe(409);
    expect((await taken.json<any>()).error.message).toBe(`barcode_data ${ticket} is already used by another pass`);
    const testTemplate = await createTemplate(businessId, testKey, { name: "Gig", type: "event_ticket" });
    await issue(businessId, testKey, { template_id: testTemplate.id, barcode_data: ticket });
    await issue(other.businessId, other.liveKey, { template_id: other.ticket.id, barcode_data: ticket });

    const changed = `${ticket}-B`;
    await json(
      await request(`/businesses/${businessId}/passes/${pass.id}`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { barcode_data: changed },
      }),
      200,
    );
    expect((await scan(businessId, keyAuth(liveKey), { code: ticket, action: "verify" })).status).toBe(404);
    expect((await json(await scan(businessId, keyAuth(liveKey), { code: changed, action: "verify" }), 200)).pass.id).toBe(pass.id);

    const reverted = await json(
      await request(`/businesses/${businessId}/passes/${pass.id}`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { barcode_data: null },
      }),
      200,
    );
    expect(reverted.barcode_data).toBeNull();
    const restored = await walletBarcode(pass);
    expect(restored).toMatch(new RegExp(`^${env.APP_ORIGIN}/validate/${pass.serial_number}\\?sig=`));
    expect((await scan(businessId, keyAuth(liveKey), { code: changed, action: "verify" })).status).toBe(404);
    expect((await json(await scan(businessId, keyAuth(liveKey), { code: restored, action: "verify" }), 200)).pass.id).toBe(pass.id);
  });

  it("keeps the barcode_data index: a lookup reads one pass, not the business's passes", async () => {
    const db = await shardOf((await businessWithTemplates()).businessId);
    const plan = await db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM passes WHERE business_id = 'b' AND mode = 'live' AND barcode_data = 'x'")
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("\n")).toMatch(/USING (COVERING )?INDEX passes_barcode_data/);
  });
});
