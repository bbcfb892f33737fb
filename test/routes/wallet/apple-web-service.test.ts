import { env } from "cloudflare:test";
import { importSPKI, jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request, shardOf } from "../../support/api";
import { answerPushes, waitForPushes } from "../../support/apns-stand-in-client";
import { answerGoogleTokens, GOOGLE_ACCESS_TOKEN, waitForRecorded } from "../../support/recorder";

const PASS_TYPE = "pass.dev.passlite.local";
const base = "/wallet/apple/v1";

async function issuedPass() {
  const biz = await businessWithTemplates();
  const pass = await issue(biz.businessId, biz.liveKey, { template_id: biz.loyalty.id, customer_name: "Jane" });
  const db = await shardOf(biz.businessId);
  const token = (await db.prepare("SELECT auth_token FROM passes WHERE id = ?").bind(pass.id).first<{ auth_token: string }>())!.auth_token;
  return { ...biz, db, pass, auth: { authorization: `ApplePass ${token}` } };
}

const device = () => `device-${crypto.randomUUID()}`;
const register = (dev: string, serial: string, headers: Record<string, string>, pushToken: string) =>
  request(`${base}/devices/${dev}/registrations/${PASS_TYPE}/${serial}`, { method: "POST", headers, json: { pushToken } });

async function eventTypes(businessId: string, key: string, passId: string) {
  const page = await json(await request(`/businesses/${businessId}/passes/${passId}/events`, { headers: keyAuth(key) }), 200);
  return page.data.map((e: { type: string }) => e.type);
}

describe("the PassKit web service", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("registers a device: 201 new, 200 existing, 401 with a bad token; emits pass.installed once", async () => {
    const { db, businessId, liveKey, pass, auth } = await issuedPass();
    const dev = device();
    expect((await register(dev, pass.serial_number, { authorization: "ApplePass wrong-token-wrong-token-wrong" }, "push-1")).status).toBe(
      401,
    );
    expect((await register(dev, pass.serial_number, {}, "push-1")).status).toBe(401);
    expect((await register(dev, pass.serial_number, auth, "push-1")).status).toBe(201);
    expect((await register(dev, pass.serial_number, auth, "push-2")).status).toBe(200);
    expect(
      (
        await request(`${base}/devices/${dev}/registrations/pass.other.type/${pass.serial_number}`, {
          method: "POST",
          headers: auth,
          json: { pushToken: "x" },
        })
      ).status,
    ).toBe(401);
    expect(await eventTypes(businessId, liveKey, pass.id)).toEqual(["pass.installed", "pass.created"]);
    const row = await db
      .prepare("SELECT push_token FROM apple_registrations WHERE device_library_id = ?")
      .bind(dev)
      .first<{ push_token: string }>();
    expect(row!.push_token).toBe("push-2");
  });

  it("lists the device's passes updated since a tag, or 204", async () => {
    const { businessId, liveKey, pass, auth } = await issuedPass();
    const dev = device();
    await register(dev, pass.serial_number, auth, "push-tag");
    const all = await json(await request(`${base}/devices/${dev}/registrations/${PASS_TYPE}`), 200);
    expect(all).toEqual({ serialNumbers: [pass.serial_number], lastUpdated: expect.any(String) });
    expect((await request(`${base}/devices/${dev}/registrations/${PASS_TYPE}?passesUpdatedSince=${all.lastUpdated}`)).status).toBe(204);
    await request(`/businesses/${businessId}/passes/${pass.id}/stamp`, { method: "POST", headers: keyAuth(liveKey) });
    const changed = await json(
      await request(`${base}/devices/${dev}/registrations/${PASS_TYPE}?passesUpdatedSince=${all.lastUpdated}`),
      200,
    );
    expect(changed.serialNumbers).toEqual([pass.serial_number]);
    expect((await request(`${base}/devices/unknown-device/registrations/${PASS_TYPE}`)).status).toBe(204);
  });

  it("serves the latest pass with Last-Modified, 304 when unchanged, 401 without the token", async () => {
    const { pass, auth } = await issuedPass();
    const url = `${base}/passes/${PASS_TYPE}/${pass.serial_number}`;
    // A few seconds on, no other version can share the pass's last second: Last-Modified identifies it.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2500);
    const res = await request(url, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
    const lastModified = res.headers.get("last-modified")!;
    expect(Date.parse(lastModified)).not.toBeNaN();
    expect((await request(url, { headers: { ...auth, "if-modified-since": lastModified } })).status).toBe(304);
    expect((await request(url)).status).toBe(401);
    expect((await request(url, { headers: { authorization: "ApplePass nope" } })).status).toBe(401);
  });

  it("unregisters (emitting pass.uninstalled) and keeps Wallet's logs", async () => {
    const { businessId, liveKey, pass, auth } = await issuedPass();
    const dev = device();
    await register(dev, pass.serial_number, auth, "push-x");
    const url = `${base}/devices/${dev}/registrations/${PASS_TYPE}/${pass.serial_number}`;
    expect((await request(url, { method: "DELETE" })).status).toBe(401);
    expect((await request(url, { method: "DELETE", headers: auth })).status).toBe(200);
    expect(await eventTypes(businessId, liveKey, pass.id)).toEqual(["pass.uninstalled", "pass.installed", "pass.created"]);
    expect((await request(`${base}/log`, { method: "POST", json: { logs: ["Web service error for pass.dev: 401"] } })).status).toBe(200);
    const log = await env.DB.prepare("SELECT message FROM apple_device_logs WHERE message LIKE 'Web service error%'").first<{
      message: string;
    }>();
    expect(log!.message).toContain("401");
  });
});

describe("live updates", () => {
  it("pushes from the queue after a stamp: Worker → relay → APNs over HTTP/2, with token auth and Apple's headers", async () => {
    const { businessId, liveKey, pass, auth } = await issuedPass();
    const pushToken = `apns-${crypto.randomUUID()}`;
    await register(device(), pass.serial_number, auth, pushToken);
    await request(`/businesses/${businessId}/passes/${pass.id}/stamp`, { method: "POST", headers: keyAuth(liveKey) });

    const [push, ...more] = await waitForPushes(pushToken);
    expect(more).toEqual([]);
    expect(push).toMatchObject({ method: "POST", path: `/3/device/${pushToken}`, body: "{}" });
    expect(push!.headers).toMatchObject({ "apns-topic": PASS_TYPE, "apns-push-type": "background", "apns-priority": "5" });
    const jwt = push!.headers.authorization!.replace(/^bearer /, "");
    const { payload, protectedHeader } = await jwtVerify(jwt, await importSPKI(env.TEST_APNS_PUBLIC_KEY, "ES256"), {
      algorithms: ["ES256"],
    });
    expect(protectedHeader.kid).toBe("TESTKEY123");
    expect(payload.iss).toBe("DEVTEAM000");
  });

  it("drops a registration when APNs answers 410 through the relay", async () => {
    const { db, businessId, liveKey, pass, auth } = await issuedPass();
    const pushToken = `gone-${crypto.randomUUID()}`;
    await answerPushes(pushToken, { status: 410, reason: "Unregistered", timestamp: Date.now() });
    await register(device(), pass.serial_number, auth, pushToken);
    await request(`/businesses/${businessId}/passes/${pass.id}`, {
      method: "PATCH",
      headers: keyAuth(liveKey),
      json: { customer_name: "New name" },
    });
    await waitForPushes(pushToken);
    for (let i = 0; i < 100; i++) {
      const row = await db
        .prepare("SELECT COUNT(*) AS n FROM apple_registrations WHERE push_token = ?")
        .bind(pushToken)
        .first<{ n: number }>();
      if (row!.n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("registration was not dropped");
  });

  it("patches the Google Wallet object with an OAuth token from the service account", async () => {
    const { businessId, liveKey, pass } = await issuedPass();
    await answerGoogleTokens();
    await request(`/businesses/${businessId}/passes/${pass.id}/points?points=25`, { method: "POST", headers: keyAuth(liveKey) });
    const objectId = `${env.GOOGLE_ISSUER_ID}.${pass.serial_number}`;
    const [patch] = await waitForRecorded(`/walletobjects/v1/loyaltyObject/${objectId}`);
    expect(patch!.method).toBe("PATCH");
    expect(patch!.headers.authorization).toBe(`Bearer ${GOOGLE_ACCESS_TOKEN}`);
    const body = JSON.parse(patch!.body);
    expect(body).toMatchObject({ id: objectId, state: "ACTIVE" });
    const [token] = await waitForRecorded("/oauth2/token");
    const assertion = new URLSearchParams(token!.body).get("assertion")!;
    const { payload } = await jwtVerify(assertion, await importSPKI(env.TEST_GOOGLE_PUBLIC_KEY, "RS256"), { algorithms: ["RS256"] });
    expect(payload).toMatchObject({ iss: env.GOOGLE_SERVICE_ACCOUNT_EMAIL, scope: "https://www.googleapis.com/auth/wallet_object.issuer" });
  });
});
