import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CredentialGuard } from "../../src/durable/credential-guard";
import { bearer, request, type Session, setPlan, signUp } from "../support/api";

/** Keys are created here, so the business needs API access. */
async function proSession(): Promise<Session> {
  const session = await signUp();
  await setPlan(session.business.id, "pro");
  return session;
}

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
    const session = await proSession();
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
    const session = await proSession();
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
    const session = await proSession();
    const responses = await Promise.all(Array.from({ length: 5 }, () => createKeyRequest(session, "idem-concurrent")));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(await keyCount(session)).toBe(1);
  });

  it("answers 409 while the first request is still running", async () => {
    const session = await proSession();
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

  it("rejects an over-long key", async () => {
    const session = await proSession();
    const res = await createKeyRequest(session, "x".repeat(256));
    expect(res.status).toBe(400);
    expect(await keyCount(session)).toBe(0);
  });

  it("ignores keys on GET: each read is answered afresh", async () => {
    const session = await proSession();
    const read = () =>
      request(`/businesses/${session.business.id}/api-keys`, { headers: bearer(session, { "idempotency-key": "idem-get" }) });
    expect((await read()).headers.get("idempotent-replayed")).toBeNull();
    await createKeyRequest(session, "idem-after-get");
    const second = await read();
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect((await second.json<{ data: unknown[] }>()).data).toHaveLength(1);
  });
});
