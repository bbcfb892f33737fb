// Debian's Chromium (`apt-get install chromium`), driven by playwright-core: never a downloaded browser.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Git-ignored; screenshots land here for a person to look at. */
export const ARTIFACTS_DIR = join(import.meta.dirname, "..", "..", "test-artifacts");

// Quiet and offline by default: no first-run UI, no background fetches by Chromium itself,
// so every request a test sees comes from the page.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Chromium {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Headless /usr/bin/chromium with a fresh profile (`--user-data-dir`), removed on close. */
export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "passlite-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves what the viewport shows as test-artifacts/<name>.png and returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
