import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CredentialGuard } from "../../src/durable/credential-guard";
import { IDEMPOTENCY_TTL_MS, IdempotencyRecords } from "../../src/durable/idempotency-records";

const stored = { status: 404, body: "{}", contentType: "application/json" };

describe("IdempotencyRecords", () => {
  it("replays stored 4xx answers, forgets released (5xx) keys, and treats keys older than 24 hours as new", async () => {
    const stub = env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`idem-ttl-${Date.now()}`));
    await runInDurableObject(stub, (_guard: CredentialGuard, state) => {
      const records = new IdempotencyRecords(state.storage.sql);
      const now = Date.now();
      expect(records.claim("a", "f", now)).toEqual({ outcome: "proceed" });
      expect(records.claim("a", "f", now)).toEqual({ outcome: "in_progress" });
      expect(records.claim("a", "other", now)).toEqual({ outcome: "mismatch" });
      records.complete("a", stored);
      expect(records.claim("a", "f", now + 1)).toEqual({ outcome: "replay", response: stored });

      expect(records.claim("b", "f", now)).toEqual({ outcome: "proceed" });
      records.release("b");
      expect(records.claim("b", "f", now + 2)).toEqual({ outcome: "proceed" });
      // A claim whose request died (lease over) may be retried.
      expect(records.claim("b", "f", now + 60_002)).toEqual({ outcome: "proceed" });

      expect(records.claim("a", "f", now + IDEMPOTENCY_TTL_MS + 1)).toEqual({ outcome: "proceed" });
    });
  });

  it("is swept by the guard's alarm once a day old", async () => {
    const stub = env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`idem-sweep-${Date.now()}`));
    await runInDurableObject(stub, async (_guard: CredentialGuard, state) => {
      const records = new IdempotencyRecords(state.storage.sql);
      records.claim("old", "f", Date.now() - IDEMPOTENCY_TTL_MS - 1);
      records.claim("fresh", "f", Date.now());
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_guard: CredentialGuard, state) => {
      const keys = state.storage.sql.exec<{ key: string }>("SELECT key FROM idempotency").toArray();
      expect(keys.map((k) => k.key)).toEqual(["fresh"]);
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
  });
});
