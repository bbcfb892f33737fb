import { createHmac, timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request, shardOf } from "../support/api";
import { bodyOf, createWebhook, pipelineIdle, receiver } from "../support/pipeline";
import { answerGoogleTokens, program } from "../support/recorder";

const act = (businessId: string, key: string, pass: { id: string }, path: string, method = "POST") =>
  request(`/businesses/${businessId}/passes/${pass.id}${path}`, { method, headers: keyAuth(key) });

/** The reference's Node.js verifyWebhook, word for word. */
function verifyWebhook(payload: string, signature: string, secret: string) {
  const expected = createHmac("sha256", secret).update(payload, "utf8").digest("hex");
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

describe("webhook deliveries", () => {
  // Wallet deliveries run beside the webhooks; Google's token endpoint must answer for them to settle.
  beforeAll(() => answerGoogleTokens());

  it("sends each of the pass events for its trigger, signed as the reference says and as Standard Webhooks says", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    const { secret } = await createWebhook(businessId, liveKey, { url: hook.url });
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Jane" });
    await act(businessId, liveKey, pass, "/stamp");
    await request(`/businesses/${businessId}/scan`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { code: pass.serial_number, action: "verify", device: "Till 2" },
    });
    const token = (await (
      await shardOf(businessId)
    )
      .prepare("SELECT auth_token FROM passes WHERE id = ?")
      .bind(pass.id)
      .first<{ auth_token: string }>())!.auth_token;
    const registration = `/wallet/apple/v1/devices/dev-${crypto.randomUUID()}/registrations/pass.dev.passlite.local/${pass.serial_number}`;
    const auth = { authorization: `ApplePass ${token}` };
    expect((await request(registration, { method: "POST", headers: auth, json: { pushToken: "push-webhook" } })).status).toBe(201);
    expect((await request(registration, { method: "DELETE", headers: auth })).status).toBe(200);
    await act(businessId, liveKey, pass, "/redeem");
    await act(businessId, liveKey, pass, "/reactivate");
    await act(businessId, liveKey, pass, "", "DELETE");

    const deliveries = await hook.waitFor(8);
    const types = deliveries.map((d) => bodyOf(d).event).sort();
    expect(types).toEqual(
      [
        "pass.created",
        "pass.installed",
        "pass.redeemed",
        "pass.scanned",
        "pass.uninstalled",
        "pass.updated",
        "pass.updated",
        "pass.voided",
      ].sort(),
    );

    for (const delivery of deliveries) {
      const body = bodyOf(delivery);
      expect(delivery.method).toBe("POST");
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(delivery.headers["x-passlite-event"]).toBe(body.event);
      expect(delivery.headers["x-passlite-delivery"]).toMatch(/^whd_/);
      expect(body.id).toMatch(/^evt_/);
      expect(Date.parse(body.timestamp)).not.toBeNaN();
      expect(body.data).toMatchObject({ id: pass.id, serial_number: pass.serial_number, business_id: businessId, mode: "live" });
      expect(typeof body.data.status).toBe("string");
      expect(verifyWebhook(delivery.body, delivery.headers["x-passlite-signature"]!, secret)).toBe(true);
      expect(verifyWebhook(`${delivery.body} `, delivery.headers["x-passlite-signature"]!, secret)).toBe(false);
      const verified = new Webhook(secret).verify(delivery.body, {
        "webhook-id": delivery.headers["webhook-id"]!,
        "webhook-timestamp": delivery.headers["webhook-timestamp"]!,
        "webhook-signature": delivery.headers["webhook-signature"]!,
      });
      expect(verified).toMatchObject({ id: body.id, event: body.event });
      expect(delivery.headers["webhook-id"]).toBe(body.id);
    }
    const stamped = deliveries.map(bodyOf).find((b) => b.event === "pass.updated" && b.data.action === "stamp");
    expect(stamped?.data).toMatchObject({ stamps: 1, count: 1 });
    const scanned = deliveries.map(bodyOf).find((b) => b.event === "pass.scanned");
    expect(scanned?.data).toMatchObject({ stamps: 1, scan: { action: "verify", result: "valid", device: "Till 2" } });
  });

  it("retries a failing receiver with the same event id until it answers 2xx", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    await program({ path: hook.path, status: 500, times: 2 });
    const webhook = await createWebhook(businessId, liveKey, { url: hook.url, events: ["pass.created"] });
    await issue(businessId, liveKey, { template_id: loyalty.id });

    const attempts = await hook.waitFor(3);
    expect(new Set(attempts.map((a) => bodyOf(a).id)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.headers["x-passlite-delivery"])).size).toBe(1);
    await pipelineIdle();
    const log = await json(
      await request(`/businesses/${businessId}/webhooks/${webhook.id}/deliveries`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      event: "pass.created",
      status: "succeeded",
      attempts: 3,
      last_status_code: 200,
      event_id: bodyOf(attempts[0]!).id,
    });
    expect(log.data[0].delivered_at).toBeTruthy();
  });

  it("gives up after the retry schedule and keeps the failed delivery, which can be redelivered", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    await program({ path: hook.path, status: 503, times: 4 });
    const webhook = await createWebhook(businessId, liveKey, { url: hook.url, events: ["pass.created"] });
    await issue(businessId, liveKey, { template_id: loyalty.id });
    await hook.waitFor(4);
    await pipelineIdle();
    const log = await json(
      await request(`/businesses/${businessId}/webhooks/${webhook.id}/deliveries`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(log.data[0]).toMatchObject({ status: "failed", attempts: 4, last_status_code: 503, next_attempt_at: null });
    expect(log.data[0].last_error).toContain("gave up after 4 attempts");

    const again = await request(`/businesses/${businessId}/webhooks/${webhook.id}/deliveries/${log.data[0].id}/redeliver`, {
      method: "POST",
      headers: keyAuth(liveKey),
    });
    expect(again.status).toBe(202);
    await hook.waitFor(5);
    await pipelineIdle();
    const after = await json(
      await request(`/businesses/${businessId}/webhooks/${webhook.id}/deliveries`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(after.data[0]).toMatchObject({ status: "succeeded", attempts: 5, last_status_code: 200 });
  });

  it("disables an endpoint that answers 410 Gone", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    await program({ path: hook.path, status: 410 });
    const webhook = await createWebhook(businessId, liveKey, { url: hook.url });
    await issue(businessId, liveKey, { template_id: loyalty.id });
    await hook.waitFor(1);
    await pipelineIdle();
    const endpoint = await json(await request(`/businesses/${businessId}/webhooks/${webhook.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(endpoint).toMatchObject({ status: "disabled", disabled_reason: "The receiver answered 410 Gone" });
    await issue(businessId, liveKey, { template_id: loyalty.id });
    await pipelineIdle();
    expect(await hook.received()).toHaveLength(1);
  });

  it("sends test-mode events only to test endpoints, and live events only to live ones", async () => {
    const { businessId, liveKey, testKey, loyalty } = await businessWithTemplates();
    const testTemplate = await json(
      await request(`/businesses/${businessId}/templates`, {
        method: "POST",
        headers: keyAuth(testKey),
        json: { name: "Test card", type: "loyalty" },
      }),
      201,
    );
    const live = receiver();
    const test = receiver();
    await createWebhook(businessId, liveKey, { url: live.url });
    await createWebhook(businessId, testKey, { url: test.url });
    const livePass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const testPass = await issue(businessId, testKey, { template_id: testTemplate.id });
    await pipelineIdle();
    expect((await live.received()).map((r) => bodyOf(r).data)).toEqual([expect.objectContaining({ id: livePass.id, mode: "live" })]);
    expect((await test.received()).map((r) => bodyOf(r).data)).toEqual([expect.objectContaining({ id: testPass.id, mode: "test" })]);
  });

  it("signs with both secrets for 24 hours after a rotation", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const hook = receiver();
    const webhook = await createWebhook(businessId, liveKey, { url: hook.url, events: ["pass.created"] });
    const rotated = await json(
      await request(`/businesses/${businessId}/webhooks/${webhook.id}/rotate-secret`, { method: "POST", headers: keyAuth(liveKey) }),
      200,
    );
    expect(rotated.secret).not.toBe(webhook.secret);
    expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    await issue(businessId, liveKey, { template_id: loyalty.id });
    const [delivery] = await hook.waitFor(1);
    expect(verifyWebhook(delivery!.body, delivery!.headers["x-passlite-signature"]!, rotated.secret)).toBe(true);
    expect(verifyWebhook(delivery!.body, delivery!.headers["x-passlite-signature-previous"]!, webhook.secret)).toBe(true);
    const headers = {
      "webhook-id": delivery!.headers["webhook-id"]!,
      "webhook-timestamp": delivery!.headers["webhook-timestamp"]!,
      "webhook-signature": delivery!.headers["webhook-signature"]!,
    };
    expect(() => new Webhook(rotated.secret).verify(delivery!.body, headers)).not.toThrow();
    expect(() => new Webhook(webhook.secret).verify(delivery!.body, headers)).not.toThrow();
  });

  it("sends a ping to one endpoint on request, through the pipeline", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const hook = receiver();
    const other = receiver();
    const webhook = await createWebhook(businessId, liveKey, { url: hook.url });
    await createWebhook(businessId, liveKey, { url: other.url });
    const queued = await json(
      await request(`/businesses/${businessId}/webhooks/${webhook.id}/test`, { method: "POST", headers: keyAuth(liveKey) }),
      202,
    );
    const [ping] = await hook.waitFor(1);
    expect(bodyOf(ping!)).toMatchObject({ id: queued.event_id, event: "ping", data: { webhook_id: webhook.id, mode: "live" } });
    expect(ping!.headers["x-passlite-delivery"]).toBe(queued.delivery_id);
    await pipelineIdle();
    expect(await other.received()).toEqual([]);
  });

  it("refuses to deliver to a host that now resolves to a private address, and says so in the log", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const host = `hooks-${crypto.randomUUID()}.example.com`;
    await program({
      path: `/dns-query?name=${host}&type=A`,
      status: 200,
      body: { Answer: [{ type: 1, data: "93.184.216.34" }] },
      times: 1,
    });
    const webhook = await createWebhook(businessId, liveKey, { url: `https://${host}/hook`, events: ["pass.created"] });
    await program({ path: `/dns-query?name=${host}&type=A`, status: 200, body: { Answer: [{ type: 1, data: "10.0.0.7" }] } });
    await issue(businessId, liveKey, { template_id: loyalty.id });
    await pipelineIdle();
    const log = await json(
      await request(`/businesses/${businessId}/webhooks/${webhook.id}/deliveries`, { headers: keyAuth(liveKey) }),
      200,
    );
    expect(log.data[0]).toMatchObject({ status: "failed", last_status_code: null });
    expect(log.data[0].last_error).toContain(`resolves to a private (RFC 1918) address (10.0.0.7)`);
  });
});
