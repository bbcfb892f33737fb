// The validation page as a phone camera and a door steward see it: the real Worker under
// `wrangler dev`, the page in headless Chromium, the staff check-in driven through its button.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBarcode } from "../../src/domain/barcodes";
import { type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { type LocalWorker, startLocalWorker } from "../support/local-worker";
import { TEST_SECRETS } from "../support/test-secrets";

let worker: LocalWorker;
let chromium: Chromium;

beforeAll(async () => {
  [worker, chromium] = await Promise.all([startLocalWorker({ vars: TEST_SECRETS }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await worker?.stop();
});

async function api<T = any>(path: string, init: { method?: string; headers?: Record<string, string>; json?: unknown } = {}): Promise<T> {
  const res = await fetch(`${worker.origin}/api/v1${path}`, {
    method: init.method ?? (init.json ? "POST" : "GET"),
    headers: { "content-type": "application/json", ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** A business with a signed ticket template, a pass for Jane Doe, and a staff member. */
async function venue() {
  const owner = await api("/auth/signup", {
    json: { email: `owner-${crypto.randomUUID()}@example.test`, password: "correct horse battery", business_name: "Riverside Hall" },
  });
  const businessId: string = owner.business.id;
  const asOwner = { authorization: `Bearer ${owner.access_token}` };
  await api(`/admin/businesses/${businessId}/plan`, {
    method: "PUT",
    headers: { "x-admin-token": TEST_SECRETS.ADMIN_TOKEN },
    json: { plan: "pro" },
  });
  await api("/businesses/me", { method: "PATCH", headers: asOwner, json: { timezone: "Europe/London" } });
  const template = await api(`/businesses/${businessId}/templates`, {
    headers: asOwner,
    json: {
      name: "Summer Gig",
      type: "event_ticket",
      colors: { background: "#1f3a5f", foreground: "#ffffff" },
      event: { name: "The Band", venue: "Riverside Hall" },
      scan_security: { signed_barcodes: true },
    },
  });
  const pass = await api(`/businesses/${businessId}/passes`, {
    headers: asOwner,
    json: { template_id: template.id, customer_name: "Jane Doe" },
  });
  const invite = await api(`/businesses/${businessId}/members`, {
    headers: asOwner,
    json: { email: `door-${crypto.randomUUID()}@example.test`, role: "staff" },
  });
  const staff = await api("/auth/accept-invite", { json: { token: invite.invite_token, password: "door staff pass" } });
  // What the pass's barcode carries (this Worker has no Apple certificates to build a .pkpass with;
  // the workerd tests read the same URL out of the wallet pass).
  const sig = await signBarcode(TEST_SECRETS.BARCODE_SIGNING_SECRET, businessId, pass.serial_number, 1);
  return { businessId, owner, staff, pass, code: `${worker.origin}/validate/${pass.serial_number}?sig=${sig}` };
}

async function openPage(width: number, height: number) {
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width, height });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    // Chromium asks every origin for /favicon.ico; the refused check-in is a 429 the page shows.
    const url = message.location().url;
    if (message.type() === "error" && !url.endsWith("/favicon.ico") && !url.includes("/scan")) errors.push(message.text());
  });
  return { page, requests, errors };
}

const verdict = (page: Page) => page.locator("h1.verdict");
const signIn = (page: Page, token: string) => page.evaluate((t) => localStorage.setItem("passlite.access_token", t), token);

describe("the validation page in a browser", { timeout: 60_000 }, () => {
  it("shows a phone whether the pass is valid, with the holder's first name, and nothing to press", async () => {
    const { code } = await venue();
    const { page, requests, errors } = await openPage(390, 844);
    await page.goto(code);
    expect(await verdict(page).textContent()).toBe("Valid");
    expect(await page.locator(".holder strong").textContent()).toBe("Jane");
    expect(await page.content()).not.toContain("Doe");
    expect(await page.locator("#staff").isVisible()).toBe(false);
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "validate-valid-390x844");

    await page.goto(`${code.slice(0, -2)}xx`);
    expect(await verdict(page).textContent()).toBe("Not valid");
    expect(await page.locator(".holder").count()).toBe(0);
    await saveScreenshot(page, "validate-forged-390x844");

    expect(requests.filter((url) => new URL(url).origin !== worker.origin)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("offers a signed-in staff member Check in, which checks in once", async () => {
    const { code, staff, owner } = await venue();
    const other = await venue();
    const { page, errors } = await openPage(1440, 900);
    await page.goto(code);

    // Another business's member sees the page as anyone does.
    await signIn(page, other.owner.access_token);
    await page.reload();
    expect(await page.locator("#staff").isVisible()).toBe(false);

    await signIn(page, staff.access_token);
    await page.reload();
    const button = page.getByRole("button", { name: "Check in" });
    await button.waitFor({ state: "visible" });
    await saveScreenshot(page, "validate-staff-1440x900");
    await button.click();
    await page.locator("#staff-result.ok").waitFor({ state: "visible" });
    expect(await page.locator("#staff-result").textContent()).toBe("Checked in");
    expect(await button.isDisabled()).toBe(true);
    await saveScreenshot(page, "validate-checked-in-1440x900");

    await page.reload();
    const detail = await page.locator(".detail").textContent();
    expect(detail).toMatch(/^Already checked in at \d\d:\d\d$/);
    await button.click();
    await page.locator("#staff-result.refused").waitFor({ state: "visible" });
    expect(await page.locator("#staff-result").textContent()).toBe(detail);
    await saveScreenshot(page, "validate-already-checked-in-1440x900");

    const scans = await api(`/businesses/${owner.business.id}/passes/${new URL(code).pathname.split("/").pop()}/scans`, {
      headers: { authorization: `Bearer ${owner.access_token}` },
    });
    expect(scans.data.map((s: any) => [s.result, s.user_id, s.device])).toEqual([
      ["blocked", staff.user.id, "Validation page"],
      ["checked_in", staff.user.id, "Validation page"],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("reads on a phone when staff are signed in", async () => {
    const { code, staff } = await venue();
    const { page, errors } = await openPage(390, 844);
    await page.goto(code);
    await signIn(page, staff.access_token);
    await page.reload();
    await page.getByRole("button", { name: "Check in" }).waitFor({ state: "visible" });
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "validate-staff-390x844");
    expect(errors).toEqual([]);
    await page.close();
  });
});
