import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { consumeEvents } from "../../src/queue/events-consumer";
import type { EventsMessage } from "../../src/queue/messages";
import { bearer, businessWithTemplates, issue, json, keyAuth, request, shardNameOf, shardOf } from "../support/api";
import { waitForPushes } from "../support/apns-stand-in-client";
import { createWebhook, pipelineIdle, receiver } from "../support/pipeline";
import { answerGoogleTokens, waitForRecorded } from "../support/recorder";

const PASS_TYPE = "pass.dev.passlite.local";

/** A pass installed on a device, the pipeline quiet afterwards. */
async function installedPass(businessId: string, key: string, templateId: string) {
  const pass = await issue(businessId, key, { template_id: templateId });
  const db = await shardOf(businessId);
  const token = (await db.prepare("SELECT auth_token FROM passes WHERE id = ?").bind(pass.id).first<{ auth_token: string }>())!.auth_token;
  const device = `dev-${crypto.randomUUID()}`;
  const pushToken = `push-${crypto.randomUUID()}`;
  await request(`/wallet/apple/v1/devices/${device}/registrations/${PASS_TYPE}/${pass.serial_number}`, {
    method: "POST",
    headers: { authorization: `ApplePass ${token}` },
    json: { pushToken },
  });
  await pipelineIdle();
  const { lastUpdated } = await json(await request(`/wallet/apple/v1/devices/${device}/registrations/${PASS_TYPE}`), 200);
  return { id: pass.id as string, serial_number: pass.serial_number as string, db, device, pushToken, lastUpdated: lastUpdated as string };
}

async function consume(messages: EventsMessage[]) {
  const batch = createMessageBatch<EventsMessage>(
    "passlite-events",
    messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await consumeEvents(batch, env);
  return getQueueResult(batch, ctx);
}

describe("the event fan-out", () => {
  beforeAll(() => answerGoogleTokens());

  it("re-renders every pass of an edited template: new version, listed for its devices, pushed, and the Google class updated", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await installedPass(businessId, liveKey, loyalty.id);
    const before = (await pass.db.prepare("SELECT version FROM passes WHERE id = ?").bind(pass.id).first<{ version: number }>())!.version;

    await request(`/businesses/${businessId}/templates/${loyalty.id}`, {
      method: "PATCH",
      headers: keyAuth(liveKey),
      json: { colors: { background: "#112233" } },
    });
    await waitForPushes(pass.pushToken);
    const [classPatch] = await waitForRecorded(`/walletobjects/v1/loyaltyClass/${env.GOOGLE_ISSUER_ID}.${loyalty.id}`);
    expect(JSON.parse(classPatch!.body)).toMatchObject({ hexBackgroundColor: "#112233" });
    await pipelineIdle();

    const after = (await pass.db.prepare("SELECT version FROM passes WHERE id = ?").bind(pass.id).first<{ version: number }>())!.version;
    expect(after).toBe(before + 1);
    const changed = await json(
      await request(
        `/wallet/apple/v1/devices/${pass.device}/registrations/${PASS_TYPE}?passesUpdatedSince=${encodeURIComponent(pass.lastUpdated)}`,
      ),
      200,
    );
    expect(changed.serialNumbers).toEqual([pass.serial_number]);
  });

  it("re-renders every template of a business whose name or colours change", async () => {
    const { session, businessId, liveKey, loyalty, giftCard } = await businessWithTemplates();
    const card = await installedPass(businessId, liveKey, loyalty.id);
    const gift = await installedPass(businessId, liveKey, giftCard.id);
    await json(await request("/businesses/me", { method: "PATCH", headers: bearer(session), json: { name: "Renamed Cafe" } }), 200);
    await waitForPushes(card.pushToken);
    await waitForPushes(gift.pushToken);
    const [classPatch] = await waitForRecorded(`/walletobjects/v1/giftCardClass/${env.GOOGLE_ISSUER_ID}.${giftCard.id}`);
    expect(JSON.parse(classPatch!.body)).toMatchObject({ issuerName: "Renamed Cafe" });
  });

  it("fans a template of more than a page out page by page, each pass exactly once", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    for (let round = 0; round < 2; round++) {
      const passes = Array.from({ length: 300 }, () => ({ template_id: loyalty.id }));
      await json(
        await request(`/businesses/${businessId}/passes/bulk`, { method: "POST", headers: keyAuth(liveKey), json: { passes } }),
        200,
      );
    }
    await pipelineIdle();
    await request(`/businesses/${businessId}/templates/${loyalty.id}`, {
      method: "PATCH",
      headers: keyAuth(liveKey),
      json: { name: "Renamed" },
    });
    await pipelineIdle(60_000);
    const db = await shardOf(businessId);
    const { event } = (await db
      .prepare("SELECT id AS event FROM events WHERE template_id = ? AND type = 'template.updated'")
      .bind(loyalty.id)
      .first<{ event: string }>())!;
    const counts = await db
      .prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT pass_id) AS passes FROM wallet_deliveries WHERE event_id = ? AND pass_id IS NOT NULL")
      .bind(event)
      .first<{ n: number; passes: number }>();
    expect(counts).toEqual({ n: 600, passes: 600 });
    const versions = await db
      .prepare("SELECT DISTINCT version FROM passes WHERE template_id = ?")
      .bind(loyalty.id)
      .all<{ version: number }>();
    expect(versions.results).toEqual([{ version: 2 }]);
  }, 120_000);

  it("makes each delivery once when the same events arrive twice", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    await createWebhook(businessId, liveKey, { url: hook.url, events: ["pass.updated"] });
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    await pipelineIdle();
    // An event committed without reaching the queue, then delivered to the consumer twice.
    const db = await shardOf(businessId);
    const id = `evt_${crypto.randomUUID()}`;
    await db
      .prepare(
        "INSERT INTO events (id, business_id, mode, pass_id, type, data) SELECT ?, business_id, mode, id, 'pass.updated', json_object('id', id) FROM passes WHERE id = ?",
      )
      .bind(id, pass.id)
      .run();
    const message: EventsMessage = { kind: "events", shard: await shardNameOf(businessId), events: [id] };
    const result = await consume([message, message]);
    expect(result.explicitAcks).toHaveLength(2);
    await pipelineIdle();
    expect(await hook.received()).toHaveLength(1);
    const rows = await db.prepare("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE event_id = ?").bind(id).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });
});
