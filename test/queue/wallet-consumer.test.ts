import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { DeliveryMessage } from "../../src/queue/messages";
import { consumeWalletDeliveries, retryDelay } from "../../src/queue/wallet-consumer";
import { businessWithTemplates, issue, shardNameOf, shardOf } from "../support/api";
import { answerPushes, pushesTo } from "../support/apns-stand-in-client";
import { pipelineIdle } from "../support/pipeline";
import { answerGoogleTokens, program, recorded } from "../support/recorder";

/** A pass whose own pipeline has settled, with devices registered for it afterwards. */
async function passWithDevices(...pushTokens: string[]) {
  return passOf(await businessWithTemplates(), ...pushTokens);
}

/** Another pass of the same business (so of the same shard). */
async function passOf(business: { businessId: string; liveKey: string; loyalty: { id: string } }, ...pushTokens: string[]) {
  const { businessId, liveKey, loyalty } = business;
  const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
  await pipelineIdle();
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

/** A delivery of the pass at `version`, as the fan-out would have made it. */
async function delivery(pass: { id: string; shard: string; db: D1Database }, version = 1): Promise<DeliveryMessage> {
  const id = `wd_${crypto.randomUUID()}`;
  await pass.db
    .prepare(
      "INSERT INTO wallet_deliveries (id, event_id, target, pass_id, pass_version, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')",
    )
    .bind(id, `evt_${crypto.randomUUID()}`, `pass:${pass.id}`, pass.id, version)
    .run();
  return { shard: pass.shard, delivery: id, attempt: 1 };
}

const state = async (pass: { db: D1Database }, id: string) =>
  (await pass.db.prepare("SELECT status, attempts, last_error, next_attempt_at FROM wallet_deliveries WHERE id = ?").bind(id).first())!;

async function consume(messages: Array<{ id: string; body: DeliveryMessage; attempts?: number }>, consumerEnv = env) {
  const batch = createMessageBatch<DeliveryMessage>(
    "passlite-wallet",
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const ctx = createExecutionContext();
  await consumeWalletDeliveries(batch, consumerEnv);
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

describe("the wallet-delivery consumer", () => {
  beforeAll(() => answerGoogleTokens());

  it("pushes every device of the pass, updates its Google object, and records the delivery as done", async () => {
    const [a, b] = [`ok-${crypto.randomUUID()}`, `ok-${crypto.randomUUID()}`];
    const pass = await passWithDevices(a, b);
    const message = await delivery(pass);
    const result = await consume([{ id: "m1", body: message }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect((await pushesTo(a)).length + (await pushesTo(b)).length).toBe(2);
    expect(await recorded(`/walletobjects/v1/loyaltyObject/${env.GOOGLE_ISSUER_ID}.${pass.serial_number}`)).not.toHaveLength(0);
    expect(await state(pass, message.delivery)).toMatchObject({ status: "succeeded", attempts: 1, last_error: null });
  });

  it("schedules the next attempt with backoff when APNs is unavailable", async () => {
    const token = `busy-${crypto.randomUUID()}`;
    const pass = await passWithDevices(token);
    await answerPushes(token, { status: 503, reason: "ServiceUnavailable" });
    const message = await delivery(pass);
    const result = await consume([{ id: "m2", body: message }]);
    expect(result.explicitAcks).toEqual(["m2"]);
    const after = await state(pass, message.delivery);
    expect(after).toMatchObject({ status: "pending", attempts: 1, last_error: "APNs 503: ServiceUnavailable" });
    const wait = Date.parse(after.next_attempt_at as string) - Date.now();
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThan(12_000);
    // Settle it by hand, so the later tests' wait for a quiet pipeline is not held up by its retries.
    await pass.db.prepare("UPDATE wallet_deliveries SET status = 'failed' WHERE id = ?").bind(message.delivery).run();
  });

  it("backs off 10 s, 40 s, 160 s … up to an hour", () => {
    expect([1, 2, 3, 4, 10].map(retryDelay)).toEqual([10, 40, 160, 640, 3600]);
  });

  it("skips a delivery a newer version of the pass supersedes, and pushes a message delivered twice once", async () => {
    const [stale, twice] = [`stale-${crypto.randomUUID()}`, `twice-${crypto.randomUUID()}`];
    const old = await passWithDevices(stale);
    const current = await passWithDevices(twice);
    await old.db.prepare("UPDATE passes SET version = 5 WHERE id = ?").bind(old.id).run();
    const superseded = await delivery(old, 4);
    const repeated = await delivery(current);
    const result = await consume([
      { id: "old", body: superseded },
      { id: "first", body: repeated },
      { id: "again", body: repeated },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["again", "first", "old"]);
    expect(await pushesTo(stale)).toHaveLength(0);
    expect(await pushesTo(twice)).toHaveLength(1);
    expect(await state(old, superseded.delivery)).toMatchObject({ status: "superseded" });
  });

  it("sends every device of a batch in one relay request and maps each answer back to its delivery", async () => {
    const token = (label: string) => `${label}-${crypto.randomUUID()}`;
    const [a, b, c, d1, d2] = [token("a"), token("b"), token("c"), token("d1"), token("d2")];
    // One business, so one shard: the order of the devices in the request is the order of the batch.
    const business = await businessWithTemplates();
    const passes = [await passOf(business, a), await passOf(business, b), await passOf(business, c), await passOf(business, d1, d2)];
    const messages = await Promise.all(passes.map((p) => delivery(p)));
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

    await consume(
      messages.map((body, i) => ({ id: `m${i}`, body })),
      { ...env, APNS_RELAY_URL: `${env.RECORDER_ORIGIN}${relayPath}` },
    );

    const [relayed, ...more] = await recorded(relayPath);
    expect(more).toEqual([]);
    expect(relayed!.headers.authorization).toBe(`Bearer ${env.APNS_RELAY_SECRET}`);
    const body = JSON.parse(relayed!.body);
    expect(body.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(body.notifications.slice(0, 3).map((n: { token: string }) => n.token)).toEqual([a, b, c]);
    expect(body.notifications[0]).toEqual({
      token: a,
      topic: "pass.dev.passlite.local",
      pushType: "background",
      priority: 5,
      payload: {},
      environment: "production",
    });
    const states = await Promise.all(passes.map((p, i) => state(p, messages[i]!.delivery)));
    expect(states.map((s) => s.status)).toEqual(["succeeded", "succeeded", "pending", "succeeded"]);
    expect(await Promise.all([a, b, c, d1, d2].map(registered))).toEqual([1, 0, 1, 1, 1]);
  });
});
