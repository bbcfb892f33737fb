import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CredentialGuard } from "../../src/durable/credential-guard";
import { SlidingWindow } from "../../src/durable/sliding-window";

describe("SlidingWindow", () => {
  it("slides: a burst at a window edge cannot pass twice the limit", async () => {
    const stub = env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`edge-${Date.now()}`));
    await runInDurableObject(stub, (_guard: CredentialGuard, state) => {
      const window = new SlidingWindow(state.storage.sql);
      const start = 1_000_000_000_000;
      // 60 requests in the last second of one minute…
      for (let i = 0; i < 60; i++) expect(window.consume(60, start + 59_000 + i).allowed).toBe(true);
      // …leave nothing for the first seconds of the next one.
      expect(window.consume(60, start + 61_000).allowed).toBe(false);
      expect(window.consume(60, start + 118_000)).toMatchObject({ allowed: false, retryAfter: 1, remaining: 0 });
      // A minute after the burst, the window has slid past it.
      expect(window.consume(60, start + 119_001)).toMatchObject({ allowed: true, remaining: 1 });
      const { count } = state.storage.sql.exec<{ count: number }>("SELECT COUNT(*) AS count FROM hits").one();
      expect(count).toBeLessThanOrEqual(60);
    });
  });
});
