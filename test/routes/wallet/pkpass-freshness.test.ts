import { env } from "cloudflare:test";
import { unzipSync } from "fflate";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../../src/app";
import { businessWithTemplates, issue, keyAuth, request, shardOf } from "../../support/api";
import { passJsonOf } from "../../support/pass-json-schema";
import { inspectSignature, verifyChain } from "../../wallet/apple/verify-signature";

const PASS_TYPE = "pass.dev.passlite.local";
const IPHONE = { "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148" };
const NFC_KEY = "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgAC";
const app = buildApp();

/** The Worker under a changed deployment configuration: the same database, cache and request. */
const withEnv = (url: string, headers: Record<string, string>, overrides: Record<string, unknown>) =>
  app.request(url, { headers }, { ...env, ...overrides });

async function issuedPass(body: Record<string, unknown> = {}) {
  const biz = await businessWithTemplates();
  const pass = await issue(biz.businessId, biz.liveKey, { template_id: biz.loyalty.id, ...body });
  const db = await shardOf(biz.businessId);
  const token = (await db.prepare("SELECT auth_token FROM passes WHERE id = ?").bind(pass.id).first<{ auth_token: string }>())!.auth_token;
  const stamp = () => request(`/businesses/${biz.businessId}/passes/${pass.id}/stamp`, { method: "POST", headers: keyAuth(biz.liveKey) });
  return {
    ...biz,
    pass,
    stamp,
    auth: { authorization: `ApplePass ${token}` },
    latest: `/wallet/apple/v1/passes/${PASS_TYPE}/${pass.serial_number}`,
  };
}

async function pkpass(res: Response) {
  // The body is read as text only to explain a failure: a .pkpass is not text.
  if (res.status !== 200) expect.fail(`expected 200, got ${res.status}: ${await res.text()}`);
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  return { files, passJson: passJsonOf(files), signature: inspectSignature(files.signature!) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a phone's copy of a pass", () => {
  it("is refreshed by a change made in the same second it was downloaded: 304 only for the version it holds", async () => {
    // Every request of this test runs at one instant: the issue, the download and the change share a second (and a millisecond).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Math.ceil(Date.now() / 1000) * 1000 + 200);
    const { auth, latest, stamp } = await issuedPass();

    const first = await request(latest, { headers: auth });
    const lastModified = first.headers.get("last-modified")!;
    expect((await pkpass(first)).passJson.storeCard.primaryFields[0].value).toBe("0/10");
    expect((await stamp()).status).toBe(200);
    const refreshed = await request(latest, { headers: { ...auth, "if-modified-since": lastModified } });
    expect((await pkpass(refreshed)).passJson.storeCard.primaryFields[0].value).toBe("1/10");

    // Once the second of the change is over, the copy served is known to be current: its Last-Modified gives 304.
    vi.setSystemTime(Date.now() + 2500);
    const settled = await request(latest, { headers: auth });
    const settledLastModified = settled.headers.get("last-modified")!;
    expect(Date.parse(settledLastModified)).toBeGreaterThan(Date.parse(lastModified));
    expect(Date.parse(settledLastModified)).toBeLessThanOrEqual(Date.now());
    await settled.arrayBuffer();
    expect((await request(latest, { headers: { ...auth, "if-modified-since": settledLastModified } })).status).toBe(304);

    // And a change right after that answer is served again.
    expect((await stamp()).status).toBe(200);
    const changed = await request(latest, { headers: { ...auth, "if-modified-since": settledLastModified } });
    expect((await pkpass(changed)).passJson.storeCard.primaryFields[0].value).toBe("2/10");
  });
});

describe("the built-pass cache", () => {
  it("serves a new signature, from the new certificate, once the signing certificate changes", async () => {
    const { pass } = await issuedPass();
    const before = await pkpass(await request(pass.download_url, { headers: IPHONE }));
    const rotated = {
      APPLE_PASS_CERT: env.TEST_ROTATED_PASS_CERT,
      APPLE_PASS_KEY: env.TEST_ROTATED_PASS_KEY,
      APPLE_WWDR_CERT: env.TEST_ROTATED_WWDR_CERT,
    };
    const res = await withEnv(pass.download_url, IPHONE, rotated);
    const etag = res.headers.get("etag");
    const after = await pkpass(res);

    expect(after.signature.signatureValid).toBe(true);
    expect(after.signature.certificates[0]!.serialNumber).not.toBe(before.signature.certificates[0]!.serialNumber);
    expect(verifyChain(after.signature.certificates, env.TEST_ROTATED_ROOT_CA)).toBe(true);
    expect(() => verifyChain(after.signature.certificates, env.TEST_APPLE_ROOT_CA)).toThrow();
    // The old certificate's package is still what the old configuration serves, under its own ETag.
    const old = await request(pass.download_url, { headers: IPHONE });
    expect(old.headers.get("etag")).not.toBe(etag);
    expect((await pkpass(old)).signature.certificates[0]!.serialNumber).toBe(before.signature.certificates[0]!.serialNumber);
  });

  it("builds the pass again when the wallet configuration changes: adding APPLE_NFC_PUBLIC_KEY adds NFC", async () => {
    const { pass } = await issuedPass({ nfc_data: "member-0042" });
    expect((await pkpass(await request(pass.download_url, { headers: IPHONE }))).passJson.nfc).toBeUndefined();
    const withNfc = await pkpass(await withEnv(pass.download_url, IPHONE, { APPLE_NFC_PUBLIC_KEY: NFC_KEY }));
    expect(withNfc.passJson.nfc).toEqual({ message: "member-0042", encryptionPublicKey: NFC_KEY });

    const moved = await pkpass(await withEnv(pass.download_url, IPHONE, { API_ORIGIN: "https://wallet.passlite.test" }));
    expect(moved.passJson.webServiceURL).toBe("https://wallet.passlite.test/api/v1/wallet/apple");
  });
});

describe("in production", () => {
  const production = { ENVIRONMENT: "production", API_ORIGIN: "http://api.passlite.test" };

  it("answers 503 naming API_ORIGIN when it is not https: Wallet calls only an https webServiceURL", async () => {
    const { pass, auth, latest } = await issuedPass();
    const expectUnavailable = async (res: Response) => {
      expect(res.status).toBe(503);
      const body = await res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe("service_unavailable");
      expect(body.error.message).toMatch(/API_ORIGIN.*https/);
    };
    await expectUnavailable(await withEnv(pass.download_url, IPHONE, production));
    await expectUnavailable(await withEnv(`https://api.passlite.test/api/v1${latest}`, auth, production));
    await expectUnavailable(
      await withEnv(`https://api.passlite.test/api/v1/wallet/apple/v1/devices/device-1/registrations/${PASS_TYPE}`, {}, production),
    );
    const https = await withEnv(pass.download_url, IPHONE, { ...production, API_ORIGIN: "https://api.passlite.test" });
    expect((await pkpass(https)).passJson.webServiceURL).toBe("https://api.passlite.test/api/v1/wallet/apple");
  });
});
