import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { consumeWalletUpdates, retryDelay } from "../../src/queue/wallet-consumer";
import type { WalletUpdate } from "../../src/queue/wallet-updates";
import { businessWithTemplates, issue } from "../support/api";
import { answerPushes, pushesTo } from "../support/apns-stand-in-client";
import { program } from "../support/recorder";

async function passWithDevice(...pushTokens: string[]) {
  const { businessId, liveKey, loyalty } = await businessWithTemplates();
  const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
  for (const pushToken of pushTokens) {
    await env.DB.prepare(
      "INSERT INTO apple_registrations (id, device_library_id, pass_type_id, pass_id, push_token, updated_at) VALUES (?, ?, 'pass.dev.passlite.local', ?, ?, '2026-01-01T00:00:00Z')",
    )
      .bind(`reg_${pushToken}`, `dev_${pushToken}`, pass.id, pushToken)
      .run();
  }
  return pass;
}

async function consume(messages: Array<{ id: string; body: WalletUpdate; attempts?: number }>) {
  const batch = createMessageBatch<WalletUpdate>(
    "passlite-wallet",
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const ctx = createExecutionContext();
  await consumeWalletUpdates(batch, env);
  return getQueueResult(batch, ctx);
}

describe("the wallet-update consumer", () => {
  beforeAll(() => program({ path: "/oauth2/token", status: 200, body: { access_token: "ya29.consumer", expires_in: 3600 } }));

  it("acknowledges a delivered update", async () => {
    const token = `ok-${crypto.randomUUID()}`;
    const pass = await passWithDevice(token);
    const result = await consume([{ id: "m1", body: { passId: pass.id, version: 1 } }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await pushesTo(token)).toHaveLength(1);
  });

  it("retries with backoff when APNs is unavailable", async () => {
    const token = `busy-${crypto.randomUUID()}`;
    const pass = await passWithDevice(token);
    await answerPushes(token, { status: 503, reason: "ServiceUnavailable" });
    const result = await consume([{ id: "m2", body: { passId: pass.id, version: 1 }, attempts: 2 }]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m2"]);
  });

  it("backs off 10 s, 40 s, 160 s … up to an hour", () => {
    expect([1, 2, 3, 4, 10].map(retryDelay)).toEqual([10, 40, 160, 640, 3600]);
  });

  it("skips an update a newer one supersedes, and one for a pass that is gone", async () => {
    const token = `stale-${crypto.randomUUID()}`;
    const pass = await passWithDevice(token);
    await env.DB.prepare("UPDATE passes SET version = 5 WHERE id = ?").bind(pass.id).run();
    const result = await consume([
      { id: "old", body: { passId: pass.id, version: 4 } },
      { id: "gone", body: { passId: "pass_missing", version: 1 } },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["gone", "old"]);
    expect(await pushesTo(token)).toHaveLength(0);
  });
});
