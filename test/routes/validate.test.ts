import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { bearer, businessWithTemplates, createTemplate, issue, json, keyAuth, request, shardOf } from "../support/api";
import { scan, setTimezone, walletBarcode } from "../support/scans";

/** Opens the page a phone camera opens for a scanned barcode. */
async function openPage(url: string) {
  const res = await request(url);
  return { res, html: await res.text() };
}

const verdict = (html: string) => /<h1[^>]*class="verdict[^"]*"[^>]*>([^<]+)<\/h1>/.exec(html)?.[1];

describe("the public validation page", () => {
  it("says a pass is valid and names the holder by first name only", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, {
      template_id: loyalty.id,
      customer_name: "Jane Q. Doe",
      customer_email: "jane.doe@example.com",
      external_id: "cust-secret-9821",
    });
    const { res, html } = await openPage(await walletBarcode(pass));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(verdict(html)).toBe("Valid");
    expect(html).toContain(">Jane<");
    for (const secret of ["Doe", "Q.", "jane.doe", "cust-secret", pass.id, pass.download_url]) expect(html).not.toContain(secret);
    expect(html).toContain("Coffee card");
    expect(html).toContain("Demo Cafe");
    // It changes as the pass does, carries a signature that must not leak onward, and runs only its own script.
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("on a signed template, says a missing or wrong signature is not valid and names nobody", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Gig", type: "event_ticket", scan_security: { signed_barcodes: true } });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id, customer_name: "Jane Doe" });
    const code = await walletBarcode(pass);
    expect(verdict((await openPage(code)).html)).toBe("Valid");
    for (const forged of [`${env.APP_ORIGIN}/validate/${pass.serial_number}`, `${code.slice(0, -1)}x`]) {
      const { res, html } = await openPage(forged);
      expect(res.status).toBe(200);
      expect(verdict(html)).toBe("Not valid");
      expect(html).toContain("This barcode’s signature does not match");
      expect(html).not.toContain("Jane");
    }
  });

  it("says why a pass is not valid, and when a valid one was already checked in", async () => {
    const { session, businessId, liveKey, loyalty, ticket } = await businessWithTemplates();
    const voided = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Sam" });
    await json(await request(`/businesses/${businessId}/passes/${voided.id}`, { method: "DELETE", headers: keyAuth(liveKey) }), 200);
    const { html: voidedPage } = await openPage(await walletBarcode(voided));
    expect(verdict(voidedPage)).toBe("Not valid");
    expect(voidedPage).toContain("This pass has been voided");

    const used = await issue(businessId, liveKey, { template_id: ticket.id, customer_name: "Ada Lovelace" });
    await json(await scan(businessId, keyAuth(liveKey), { code: used.serial_number, action: "checkin" }), 200);
    await (await shardOf(businessId))
      .prepare(
        "UPDATE passes SET first_checked_in_at = '2026-07-07T13:30:00.000Z', checked_in_at = '2026-07-07T13:30:00.000Z' WHERE id = ?",
      )
      .bind(used.id)
      .run();
    await setTimezone(session, "Europe/London");
    const { html: usedPage } = await openPage(await walletBarcode(used));
    expect(verdict(usedPage)).toBe("Valid");
    expect(usedPage).toContain("Already checked in at 14:30");
    expect(usedPage).toContain(">Ada<");
  });

  it("is read-only: opening it changes nothing and records no scan", async () => {
    const { businessId, liveKey, ticket } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: ticket.id });
    await openPage(await walletBarcode(pass));
    const after = await json(await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(after).toMatchObject({ status: "active", checked_in_at: null, updated_at: pass.updated_at });
    const scans = await json(await request(`/businesses/${businessId}/passes/${pass.id}/scans`, { headers: keyAuth(liveKey) }), 200);
    expect(scans.data).toEqual([]);
  });

  it("offers staff a Check in button that scans the page's own URL with the staff member's token", async () => {
    const { session, businessId, liveKey, ticket } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: ticket.id });
    const { html } = await openPage(await walletBarcode(pass));
    // Hidden until the page's script finds a token for this business (see validate.browser.test.ts).
    expect(html).toMatch(/<section[^>]*id="staff"[^>]*hidden/);
    expect(html).toContain(`data-business="${businessId}"`);
    expect(html).toContain(`data-scan-path="/api/v1/businesses/${businessId}/scan"`);
    // The path it posts to accepts the page's URL as the code, for a signed-in member.
    const staffScan = await scan(businessId, bearer(session), { code: await walletBarcode(pass), action: "checkin" });
    expect(staffScan.status).toBe(200);
  });

  it("answers 404 for a serial it does not know", async () => {
    for (const serial of ["PL-ZZZZZ-00000-00000", "nonsense"]) {
      const { res, html } = await openPage(`${env.APP_ORIGIN}/validate/${serial}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(html).toContain("Pass not found");
    }
  });
});
