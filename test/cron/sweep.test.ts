import { createScheduledController, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { archiveOldEvents } from "../../src/cron/retention";
import { DataContext } from "../../src/db/data-context";
import worker from "../../src/index";
import { businessWithTemplates, issue, keyAuth, request, shardOf } from "../support/api";
import { bodyOf, createWebhook, pipelineIdle, receiver } from "../support/pipeline";
import { answerGoogleTokens } from "../support/recorder";

/** An event committed with its change but never queued (the request's send failed), `ageMs` ago. */
async function strandedEvent(db: D1Database, passId: string, ageMs: number) {
  const id = `evt_${crypto.randomUUID()}`;
  const at = new Date(Date.now() - ageMs).toISOString();
  await db
    .prepare(
      "INSERT INTO events (id, business_id, mode, pass_id, type, data, created_at) SELECT ?, business_id, mode, id, 'pass.redeemed', json_object('id', id, 'serial_number', serial_number, 'business_id', business_id, 'status', 'redeemed'), ? FROM passes WHERE id = ?",
    )
    .bind(id, at, passId)
    .run();
  return id;
}

/** The Worker's own scheduled() run, as the minute trigger calls it. */
const sweep = () => worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: new Date() }), env);

describe("the minute cron", () => {
  beforeAll(answerGoogleTokens);

  it("queues an event whose enqueue failed, a minute late, and it is delivered exactly once", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    await createWebhook(businessId, liveKey, { url: hook.url, events: ["pass.redeemed"] });
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    await pipelineIdle();
    const db = await shardOf(businessId);
    const late = await strandedEvent(db, pass.id, 2 * 60_000);
    const recent = await strandedEvent(db, pass.id, 5_000);

    await sweep();
    const [delivery] = await hook.waitFor(1);
    expect(bodyOf(delivery!).id).toBe(late);
    // Younger than a minute: its own queue message may still be on the way.
    const undispatched = await db.prepare("SELECT id FROM events WHERE dispatched_at IS NULL").all<{ id: string }>();
    expect(undispatched.results.map((r) => r.id)).toEqual([recent]);

    await sweep();
    await sweep();
    await db.prepare("UPDATE events SET dispatched_at = created_at WHERE id = ?").bind(recent).run();
    await pipelineIdle();
    expect((await hook.received()).map((r) => bodyOf(r).id)).toEqual([late]);
  });

  it("queues again a delivery whose queue message was lost", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    const webhook = await createWebhook(businessId, liveKey, { url: hook.url, events: ["pass.redeemed"] });
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    await pipelineIdle();
    const db = await shardOf(businessId);
    const event = await strandedEvent(db, pass.id, 10 * 60_000);
    await db.prepare("UPDATE events SET dispatched_at = ? WHERE id = ?").bind(new Date().toISOString(), event).run();
    const due = new Date(Date.now() - 5 * 60_000).toISOString();
    await db
      .prepare(
        "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, next_attempt_at, updated_at) VALUES (?, ?, ?, 'pass.redeemed', ?, ?)",
      )
      .bind(`whd_${crypto.randomUUID()}`, webhook.id, event, due, due)
      .run();
    await sweep();
    const [delivery] = await hook.waitFor(1);
    expect(bodyOf(delivery!).id).toBe(event);
  });
});

describe("event retention", () => {
  it("exports events older than the retention to R2 as NDJSON, prunes them, and keeps the ledger whole", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 50 });
    await request(`/businesses/${businessId}/passes/${pass.id}/charge?amount=20`, { method: "POST", headers: keyAuth(liveKey) });
    await pipelineIdle();
    const db = await shardOf(businessId);
    const before = await db
      .prepare("SELECT id, type FROM events WHERE pass_id = ? ORDER BY id")
      .bind(pass.id)
      .all<{ id: string; type: string }>();
    expect(before.results.map((e) => e.type)).toEqual(["pass.created", "pass.updated"]);

    // 400 days from now, with a year's retention, both events are past it.
    const archived = await archiveOldEvents(env, new DataContext(env), ["DB", "DB_SHARD_1"], 365, Date.now() + 400 * 86_400_000);
    expect(archived).toBeGreaterThanOrEqual(2);

    expect((await db.prepare("SELECT COUNT(*) AS n FROM events WHERE pass_id = ?").bind(pass.id).first<{ n: number }>())!.n).toBe(0);
    const ledger = await db
      .prepare("SELECT SUM(delta) AS total FROM ledger_entries WHERE pass_id = ?")
      .bind(pass.id)
      .first<{ total: number }>();
    expect(ledger!.total).toBe(3000);
    const listed = await env.ARCHIVE.list({ prefix: "events/" });
    const lines = (await Promise.all(listed.objects.map(async (o) => (await (await env.ARCHIVE.get(o.key))!.text()).trim().split("\n"))))
      .flat()
      .map((line) => JSON.parse(line) as { id: string; type: string; data: { balance_minor: number } });
    const mine = lines.filter((e) => before.results.some((b) => b.id === e.id));
    expect(mine.map((e) => e.type).sort()).toEqual(["pass.created", "pass.updated"]);
    expect(mine.find((e) => e.type === "pass.updated")!.data.balance_minor).toBe(3000);
    expect((await env.ARCHIVE.head(listed.objects[0]!.key))!.httpMetadata?.contentType).toBe("application/x-ndjson");
  });
});
