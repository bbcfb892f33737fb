import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { consumeWalletUpdates, retryDelay } from "../../src/queue/wallet-consumer";
import type { WalletUpdate } from "../../src/queue/wallet-updates";
import { businessWithTemplates, issue, shardNameOf, shardOf } from "../support/api";
import { answerPushes, pushesTo } from "../support/apns-stand-in-client";
import { program, recorded } from "../support/recorder";

async function passWithDevice(...pushTokens: string[]) {
  const { businessId, liveKey, loyalty } = await businessWithTemplates();
  const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
  const db = await shardOf(businessId);
  for (const pushToken of pushTokens) {
    await db
      .prepare(
        "INSERT INTO apple_registrations (id, device_library_id, pass_type_id, pass_id, push_token, updated_at) VALUES (?, ?, 'pass.dev.passlite.local', ?, ?, '2026-01-01T00:00:00Z')",
      )
      .bind(`reg_${pushToken}`, `dev_${pushToken}`, pass.id, pushToken)
      .run();
  }
  return { ...pass, shard: await shardNameOf(businessId), db };
}

async function consume(messages: Array<{ id: string; body: WalletUpdate; attempts?: number }>, consumerEnv = env) {
  const batch = createMessageBatch<WalletUpdate>(
    "passlite-wallet",
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const ctx = createExecutionContext();
  await consumeWalletUpdates(batch, consumerEnv);
  return getQueueResult(batch, ctx);
}

/** Registrations still holding this push token, on either shard. */
const registered = async (pushToken: string) => {
  let n = 0;
  for (const db of [env.DB, env.DB_SHARD_1]) {
    n += (await db.prepare("SELECT COUNT(*) AS n FROM apple_registrations WHERE push_token = ?").bind(pushToken).first<{ n: number }>())!.n;
  }
  return n;
};

describe("the wallet-update consumer", () => {
  beforeAll(() => program({ path: "/oauth2/token", status: 200, body: { access_token: "ya29.consumer", expires_in: 3600 } }));

  it("acknowledges a delivered update", async () => {
    const token = `ok-${crypto.randomUUID()}`;
    const pass = await passWithDevice(token);
    const result = await consume([{ id: "m1", body: { shard: pass.shard, passId: pass.id, version: 1 } }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await pushesTo(token)).toHaveLength(1);
  });

  it("retries with backoff when APNs is unavailable", async () => {
    const token = `busy-${crypto.randomUUID()}`;
    const pass = await passWithDevice(token);
    await answerPushes(token, { status: 503, reason: "ServiceUnavailable" });
    const result = await consume([{ id: "m2", body: { shard: pass.shard, passId: pass.id, version: 1 }, attempts: 2 }]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m2"]);
  });

  it("backs off 10 s, 40 s, 160 s … up to an hour", () => {
    expect([1, 2, 3, 4, 10].map(retryDelay)).toEqual([10, 40, 160, 640, 3600]);
  });

  it("skips an update a newer one supersedes, and one for a pass that is gone", async () => {
    const token = `stale-${crypto.randomUUID()}`;
    const pass = await passWithDevice(token);
    await pass.db.prepare("UPDATE passes SET version = 5 WHERE id = ?").bind(pass.id).run();
    const result = await consume([
      { id: "old", body: { shard: pass.shard, passId: pass.id, version: 4 } },
      { id: "gone", body: { shard: pass.shard, passId: "pass_missing", version: 1 } },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["gone", "old"]);
    expect(await pushesTo(token)).toHaveLength(0);
  });

  it("sends every device of a batch in one relay request and maps each answer back to its message", async () => {
    const token = (label: string) => `${label}-${crypto.randomUUID()}`;
    const [a, b, c, d1, d2] = [token("a"), token("b"), token("c"), token("d1"), token("d2")];
    const passes = [await passWithDevice(a), await passWithDevice(b), await passWithDevice(c), await passWithDevice(d1, d2)];
    // The recorder plays the relay here, so the test sees the request itself and chooses Apple's answers.
    const relayPath = `/relay-${crypto.randomUUID()}`;
    await program({
      path: `${relayPath}/push`,
      status: 200,
      body: {
        results: [
          { status: 200, apnsId: "A" },
          { status: 410, reason: "Unregistered", timestamp: 1 },
          { status: 503, reason: "ServiceUnavailable" },
          { status: 200 },
          { status: 200 },
        ],
      },
    });

    const result = await consume(
      passes.map((pass, i) => ({ id: `m${i}`, body: { shard: pass.shard, passId: pass.id, version: 1 } })),
      { ...env, APNS_RELAY_URL: `${env.RECORDER_ORIGIN}${relayPath}` },
    );

    const [relayed, ...more] = await recorded(relayPath);
    expect(more).toEqual([]);
    expect(relayed!.headers.authorization).toBe(`Bearer ${env.APNS_RELAY_SECRET}`);
    const body = JSON.parse(relayed!.body);
    expect(body.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.notifications.slice(0, 3).map((n: { token: string }) => n.token)).toEqual([a, b, c]);
    expect(
      body.notifications
        .slice(3)
        .map((n: { token: string }) => n.token)
        .sort(),
    ).toEqual([d1, d2].sort());
    expect(body.notifications[0]).toEqual({
      token: a,
      topic: "pass.dev.passlite.local",
      pushType: "background",
      priority: 5,
      payload: {},
      environment: "production",
    });
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m3"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m2"]);
    expect(await Promise.all([a, b, c, d1, d2].map(registered))).toEqual([1, 0, 1, 1, 1]);
  });
});
