// /docs as a merchant sees it: the real Worker under `wrangler dev`, Scalar in headless Chromium.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { type LocalWorker, startLocalWorker } from "../support/local-worker";
import { TEST_SECRETS } from "../support/test-secrets";

const ISSUE_PASS_FIELDS = [
  "template_id",
  "customer_name",
  "customer_email",
  "external_id",
  "initial_balance",
  "points",
  "barcode_data",
  "nfc_data",
  "metadata",
];
// Scalar's anchor for an operation (tag slug, method, path); element ids add a document prefix.
const ISSUE_PASS_ANCHOR = "tag/passes/POST/api/v1/businesses/{business_id}/passes";

let worker: LocalWorker;
let chromium: Chromium;

beforeAll(async () => {
  [worker, chromium] = await Promise.all([startLocalWorker({ vars: TEST_SECRETS }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await worker?.stop();
});

/** A page that records every request it makes and every error it reports. */
async function openPage(width: number, height: number) {
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width, height });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    // Chromium asks every origin for /favicon.ico; the Worker has none to give.
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) errors.push(message.text());
  });
  return { page, requests, errors };
}

const issuePassOperation = (page: Page) => page.locator(`section[id$="${ISSUE_PASS_ANCHOR}"]`);
const requestField = (page: Page, field: string) => page.locator(`[id$="${ISSUE_PASS_ANCHOR}.body.${field}"]`);

// Chromium, wrangler dev and the workerd tests share the machine's cores under `npm test`.
describe("the API reference at /docs", { timeout: 60_000 }, () => {
  it("shows the issue-pass request fields and the reference's example, loading nothing from elsewhere", async () => {
    const { page, requests, errors } = await openPage(1440, 900);
    await page.goto(`${worker.origin}/docs`);

    // As a reader would: open the Passes group in the sidebar, then the operation.
    const sidebar = page.getByRole("complementary", { name: "Sidebar for PassLite API" });
    await sidebar.getByRole("link", { name: "Passes", exact: true }).click();
    await sidebar.getByRole("link", { name: "Issue a pass" }).click();
    const operation = issuePassOperation(page);
    for (const field of ISSUE_PASS_FIELDS) {
      const row = requestField(page, field);
      await row.waitFor({ state: "visible", timeout: 20_000 });
      expect(await row.textContent()).toContain(field);
    }
    // The request sample is the reference's example, and the 201 answer is a whole Pass.
    await operation.getByText('"tpl_loyalty_gold"').first().waitFor({ state: "visible" });
    await operation.getByText('"PL-00042"').first().waitFor({ state: "visible" });
    await saveScreenshot(page, "docs-issue-pass-1440x900");

    const foreign = requests.filter((url) => /^https?:/.test(url) && new URL(url).origin !== worker.origin);
    expect(foreign).toEqual([]);
    expect(requests).toContain(`${worker.origin}/docs/scalar.js`);
    expect(requests).toContain(`${worker.origin}/api/v1/openapi.json`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("reads on a phone", async () => {
    const { page, errors } = await openPage(390, 844);
    await page.goto(`${worker.origin}/docs#${ISSUE_PASS_ANCHOR}`);
    await requestField(page, "customer_email").waitFor({ state: "visible", timeout: 30_000 });
    // Nothing wider than the screen: the page never scrolls sideways.
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "docs-issue-pass-390x844");
    await requestField(page, "template_id").evaluate((row) => row.scrollIntoView({ block: "center" }));
    await saveScreenshot(page, "docs-issue-pass-fields-390x844");
    expect(errors).toEqual([]);
    await page.close();
  });
});
