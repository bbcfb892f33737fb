import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CredentialGuard } from "../../src/durable/credential-guard";
import { bearer, request, type Session, signUp } from "../support/api";

function createKeyRequest(session: Session, idempotencyKey: string, name = "Till") {
  return request(`/businesses/${session.business.id}/api-keys`, {
    method: "POST",
    headers: bearer(session, { "idempotency-key": idempotencyKey }),
    json: { name, mode: "live" },
  });
}

async function keyCount(session: Session) {
  const res = await request(`/businesses/${session.business.id}/api-keys`, { headers: bearer(session) });
  return (await res.json<{ data: unknown[] }>()).data.length;
}

describe("Idempotency-Key", () => {
  it("replays the original status and body and performs nothing", async () => {
    const session = await signUp();
    const first = await createKeyRequest(session, "idem-1");
    expect(first.status).toBe(201);
    const original = await first.text();

    const repeat = await createKeyRequest(session, "idem-1");
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(await repeat.text()).toBe(original);
    expect(await keyCount(session)).toBe(1);
  });

  it("refuses the same key with a different body or path with 422", async () => {
    const session = await signUp();
    await createKeyRequest(session, "idem-2");
    const otherBody = await createKeyRequest(session, "idem-2", "Another name");
    expect(otherBody.status).toBe(422);
    expect((await otherBody.json<{ error: { code: string } }>()).error.code).toBe("validation_error");
    const otherPath = await request("/businesses/me", {
      method: "PATCH",
      headers: bearer(session, { "idempotency-key": "idem-2" }),
      json: { name: "Till" },
    });
    expect(otherPath.status).toBe(422);
    expect(await keyCount(session)).toBe(1);
  });

  it("creates exactly one object for five concurrent duplicates", async () => {
    const session = await signUp();
    const responses = await Promise.all(Array.from({ length: 5 }, () => createKeyRequest(session, "idem-concurrent")));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(await keyCount(session)).toBe(1);
  });

  it("answers 409 while the first request is still running", async () => {
    const session = await signUp();
    expect((await createKeyRequest(session, "idem-running")).status).toBe(201);
    // Put the finished record back into the state it has while its request is in flight.
    const stub = env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`user:${session.user.id}`));
    await runInDurableObject(stub, (_instance: CredentialGuard, state) => {
      state.storage.sql.exec("UPDATE idempotency SET state = 'running', lease_until = ? WHERE key = 'idem-running'", Date.now() + 60_000);
    });
    const res = await createKeyRequest(session, "idem-running");
    expect(res.status).toBe(409);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("conflict");
    expect(await keyCount(session)).toBe(1);
  });

  it("stores 4xx answers but not 5xx, and forgets keys after 24 hours", async () => {
    const stub = env.CREDENTIAL_GUARD.get(env.CREDENTIAL_GUARD.idFromName(`idem-ttl-${Date.now()}`));
    const now = Date.now();
    expect((await stub.admit(60, { key: "a", fingerprint: "f" }, now)).idempotency).toEqual({ outcome: "proceed" });
    await stub.complete("a", { status: 404, body: "{}", contentType: "application/json" });
    expect((await stub.admit(60, { key: "a", fingerprint: "f" }, now + 1)).idempotency).toMatchObject({
      outcome: "replay",
      response: { status: 404 },
    });

    expect((await stub.admit(60, { key: "b", fingerprint: "f" }, now)).idempotency).toEqual({ outcome: "proceed" });
    await stub.release("b");
    expect((await stub.admit(60, { key: "b", fingerprint: "f" }, now + 2)).idempotency).toEqual({ outcome: "proceed" });

    // Past 24 hours a key is new again, and the alarm sweeps the old records.
    expect((await stub.admit(600, { key: "a", fingerprint: "f" }, now + 24 * 3600_000 + 1)).idempotency).toEqual({ outcome: "proceed" });
    await runInDurableObject(stub, (_instance: CredentialGuard, state) => {
      state.storage.sql.exec("UPDATE idempotency SET created_at = created_at - 259200000");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, (_instance: CredentialGuard, state) => {
      expect(state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one().n).toBe(0);
    });
  });

  it("ignores GET requests' keys and rejects an over-long key", async () => {
    const session = await signUp();
    const res = await createKeyRequest(session, "x".repeat(256));
    expect(res.status).toBe(400);
  });
});
