// /my-passes as a customer meets it: the real Worker under `wrangler dev` (mail kept in its development
// outbox, no provider), in headless Chromium on a phone-sized screen, then on a desktop one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintCustomerToken } from "../../src/domain/customer-access/token";
import { type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { type LocalWorker, startLocalWorker } from "../support/local-worker";
import { TEST_SECRETS } from "../support/test-secrets";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "..", "fixtures", "apple", name), "utf8").replace(/\n/g, "\\n");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

let worker: LocalWorker;
let chromium: Chromium;
const email = `jane.${Date.now()}@example.test`;
let giftSerial: string;

async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const res = await fetch(`${worker.origin}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** A café with a stamp card and a gift card for Jane, made through the API. */
async function seedCustomer() {
  const session = await api<{ access_token: string; business: { id: string } }>("/auth/signup", {
    method: "POST",
    body: { email: `owner.${Date.now()}@example.test`, password: "correct horse battery", business_name: "Corner Café" },
  });
  const biz = session.business.id;
  await api(`/admin/businesses/${biz}/plan`, {
    method: "PUT",
    headers: { "x-admin-token": TEST_SECRETS.ADMIN_TOKEN },
    body: { plan: "pro" },
  });
  const auth = { authorization: `Bearer ${session.access_token}` };
  await api("/businesses/me", { method: "PATCH", headers: auth, body: { brand_colors: { background: "#7c2d12", foreground: "#fff7ed" } } });
  const { key } = await api<{ key: string }>(`/businesses/${biz}/api-keys`, {
    method: "POST",
    headers: auth,
    body: { name: "k", mode: "live" },
  });
  const headers = { "x-api-key": key };
  const stampCard = await api<{ id: string }>(`/businesses/${biz}/templates`, {
    method: "POST",
    headers,
    body: {
      name: "Coffee card",
      type: "loyalty",
      stamp_goal: 10,
      colors: { background: "#14532d", foreground: "#f0fdf4" },
      email_on_issue: true,
    },
  });
  const giftCard = await api<{ id: string }>(`/businesses/${biz}/templates`, {
    method: "POST",
    headers,
    body: { name: "Gift card", type: "gift_card" },
  });
  const card = await api<{ id: string }>(`/businesses/${biz}/passes`, {
    method: "POST",
    headers,
    body: { template_id: stampCard.id, customer_email: email, customer_name: "Jane" },
  });
  await api(`/businesses/${biz}/passes/${card.id}/stamp?count=4`, { method: "POST", headers });
  const gift = await api<{ serial_number: string }>(`/businesses/${biz}/passes`, {
    method: "POST",
    headers,
    body: { template_id: giftCard.id, customer_email: email, initial_balance: 70 },
  });
  giftSerial = gift.serial_number;
}

/** An email the Worker "sent" to Jane, from its development outbox (mail leaves through a queue). */
async function mailFromOutbox(subject: string): Promise<{ text: string; html: string }> {
  for (let i = 0; i < 150; i++) {
    const outbox = (await (await fetch(`${worker.origin}/dev/outbox?to=${encodeURIComponent(email)}`)).json()) as {
      data: Array<{ subject: string; text: string; html: string }>;
    };
    const mail = outbox.data.find((m) => m.subject === subject);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no "${subject}" for ${email} in the development outbox`);
}

/** An email as a mail client would show it, on a blank page of its own; it loads nothing (no images, no fonts). */
async function screenshotEmail(html: string, name: string, link: string) {
  const { page, requests, errors } = await openPage(PHONE);
  await page.setContent(html);
  await page.getByRole("link", { name: link }).first().waitFor();
  await saveScreenshot(page, name);
  expect(requests.filter((url) => url !== "about:blank")).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
}

beforeAll(async () => {
  const vars = {
    ...TEST_SECRETS,
    APPLE_PASS_TYPE_ID: "pass.dev.passlite.local",
    APPLE_TEAM_ID: "DEVTEAM000",
    APPLE_PASS_CERT: fixture("pass-cert.pem"),
    APPLE_PASS_KEY: fixture("pass-key.pem"),
    APPLE_WWDR_CERT: fixture("wwdr.pem"),
  };
  [worker, chromium] = await Promise.all([startLocalWorker({ vars }), launchChromium()]);
  await seedCustomer();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await worker?.stop();
});

/** A page that records every error and every request it makes. */
async function openPage(size: { width: number; height: number }) {
  const page = await chromium.context.newPage();
  await page.setViewportSize(size);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    // Chromium asks every origin for /favicon.ico; the Worker has none to give.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) errors.push(message.text());
  });
  return { page, errors, requests };
}

const scrollWidth = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth");

// Chromium, wrangler dev and the workerd tests share the machine's cores under `npm test`.
describe("/my-passes in Chromium", { timeout: 90_000 }, () => {
  it("on a phone: ask for a link, open it from the inbox, see the passes, add one to Apple Wallet", async () => {
    const { page, errors, requests } = await openPage(PHONE);
    await page.goto(`${worker.origin}/my-passes`);
    await page.getByRole("heading", { name: "Find your passes" }).waitFor();
    await page.getByLabel("Email address").fill(email);
    await saveScreenshot(page, "my-passes-1-email-390x844");

    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
    await saveScreenshot(page, "my-passes-2-check-inbox-390x844");

    const mail = await mailFromOutbox("Your link to your passes");
    const link = /(http\S+\/my-passes\?token=\S+)/.exec(mail.text)![1]!;
    expect(link.startsWith(`${worker.origin}/my-passes?token=`)).toBe(true);
    await screenshotEmail(mail.html, "my-passes-3-email-390x844", "See my passes");
    await page.goto(link);
    await page.getByRole("heading", { name: "Your passes" }).waitFor();
    // The token is gone from the address bar (and from history) before the page rendered.
    expect(page.url()).toBe(`${worker.origin}/my-passes`);
    const gift = page.getByRole("article", { name: "Gift card from Corner Café" });
    const card = page.getByRole("article", { name: "Coffee card from Corner Café" });
    await expect.poll(() => gift.getByText("£70.00").isVisible()).toBe(true);
    await expect.poll(() => card.getByText("4 of 10").isVisible()).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await saveScreenshot(page, "my-passes-4-passes-390x844");

    const [download] = await Promise.all([page.waitForEvent("download"), gift.getByRole("link", { name: "Add to Apple Wallet" }).click()]);
    expect(download.suggestedFilename()).toBe(`${giftSerial}.pkpass`);
    const bytes = readFileSync((await download.path())!);
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(["pass.json", "manifest.json", "signature"]));
    const passJson = JSON.parse(new TextDecoder().decode(files["pass.json"]));
    expect(passJson.serialNumber).toBe(giftSerial);

    expect(requests.filter((url) => /^https?:/.test(url) && new URL(url).origin !== worker.origin)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("on a desktop: the same passes, side by side", async () => {
    const { page, errors } = await openPage(DESKTOP);
    await page.goto(`${worker.origin}/my-passes`);
    await page.getByRole("heading", { name: "Your passes" }).waitFor();
    const boxes = await page.getByRole("article").evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().top));
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toBe(boxes[1]);
    await saveScreenshot(page, "my-passes-5-passes-1440x900");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the stamp card arrived by email when it was issued, with its Apple Wallet link", async () => {
    const mail = await mailFromOutbox("Your card from Corner Café");
    expect(mail.text).toMatch(new RegExp(`Add to Apple Wallet: ${worker.origin}/pass/PL-[A-Z0-9-]+/[a-z0-9]+\\?format=pkpass`));
    await screenshotEmail(mail.html, "my-passes-7-card-email-390x844", "Add to Apple Wallet");
  });

  it("explains an expired link and offers a new one", async () => {
    const { page, errors } = await openPage(PHONE);
    const issuedAt = Math.floor(Date.now() / 1000) - 16 * 60;
    const expired = await mintCustomerToken(TEST_SECRETS.JWT_SECRET, { email, generation: 0, jti: "em_expired", issuedAt });
    await page.goto(`${worker.origin}/my-passes?token=${expired}`);
    await page.getByRole("heading", { name: "This link has expired" }).waitFor();
    expect(page.url()).toBe(`${worker.origin}/my-passes`);
    expect(await page.getByLabel("Email address").inputValue()).toBe(email);
    await saveScreenshot(page, "my-passes-6-expired-390x844");

    await page.getByRole("button", { name: "Email me a link" }).click();
    await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
