import { decodeProtectedHeader, exportPKCS8, generateKeyPair, type CryptoKey as JoseKey, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { type ApnsConfig, createApnsClient } from "../../../src/wallet/apple/apns";
import { directTransport } from "../../../src/wallet/apple/apns-transport";
import { WalletKeyError } from "../../../src/wallet/signing-keys";
import { program, recorded, recorderUrl, unique } from "../recorder";

const PASS_TYPE = "pass.dev.passlite.test";
const T0 = Date.parse("2026-05-01T12:00:00Z");

async function setup(overrides: Partial<ApnsConfig> = {}) {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const pem = await exportPKCS8(privateKey);
  const clock = { now: T0 };
  const keyId = unique("KEY").slice(0, 20);
  const teamId = unique("TEAM").slice(0, 20);
  // Secrets often arrive with literal "\n" instead of newlines.
  const config: ApnsConfig = {
    origin: recorderUrl(""),
    keyId,
    teamId,
    privateKeyPem: pem.replace(/\n/g, "\\n"),
    now: () => clock.now,
    ...overrides,
  };
  return { client: createApnsClient(config), publicKey, clock, keyId, teamId };
}

const pushToken = () => unique("tok").toLowerCase();
const bearer = (auth: string | undefined) => (auth ?? "").replace(/^bearer /, "");

async function verifyToken(jwt: string, publicKey: JoseKey, teamId: string) {
  const { payload } = await jwtVerify(jwt, publicKey, { issuer: teamId, algorithms: ["ES256"], currentDate: new Date(T0) });
  return payload;
}

describe("APNs pass-update push", () => {
  it("POSTs an empty background push to /3/device/{token} with a provider token Apple can verify", async () => {
    const { client, publicKey, keyId, teamId } = await setup();
    const token = pushToken();

    expect(await client.pushPassUpdate(token, PASS_TYPE)).toEqual({ ok: true, status: 200 });

    const [req, ...rest] = await recorded(`/3/device/${token}`);
    expect(rest).toEqual([]);
    expect(req).toMatchObject({ method: "POST", path: `/3/device/${token}`, body: "{}" });
    expect(req!.headers["apns-topic"]).toBe(PASS_TYPE);
    expect(req!.headers["apns-push-type"]).toBe("background");
    expect(req!.headers["apns-priority"]).toBe("5");
    expect(req!.headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);

    const jwt = bearer(req!.headers.authorization);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "ES256", kid: keyId });
    const payload = await verifyToken(jwt, publicKey, teamId);
    expect(payload).toEqual({ iss: teamId, iat: T0 / 1000 });
  });

  it("reuses the provider token for 50 minutes, then signs a new one", async () => {
    const { client, publicKey, clock, teamId } = await setup();
    const tokens = [pushToken(), pushToken(), pushToken()];

    await client.pushPassUpdate(tokens[0]!, PASS_TYPE);
    clock.now = T0 + 49 * 60_000 + 59_000;
    await client.pushPassUpdate(tokens[1]!, PASS_TYPE);
    clock.now = T0 + 50 * 60_000;
    await client.pushPassUpdate(tokens[2]!, PASS_TYPE);

    const [a, b, c] = await Promise.all(tokens.map(async (t) => bearer((await recorded(`/3/device/${t}`))[0]!.headers.authorization)));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect((await verifyToken(c!, publicKey, teamId)).iat).toBe((T0 + 50 * 60_000) / 1000);
  });

  it("shares the token between clients of the same key in the isolate", async () => {
    const first = await setup();
    const second = createApnsClient({
      origin: recorderUrl(""),
      keyId: first.keyId,
      teamId: first.teamId,
      privateKeyPem: "unused: the cached token is reused",
      now: () => T0,
    });
    const [t1, t2] = [pushToken(), pushToken()];
    await first.client.pushPassUpdate(t1, PASS_TYPE);
    expect((await second.pushPassUpdate(t2, PASS_TYPE)).ok).toBe(true);
    const [r1] = await recorded(`/3/device/${t1}`);
    const [r2] = await recorded(`/3/device/${t2}`);
    expect(r2!.headers.authorization).toBe(r1!.headers.authorization);
  });

  it("asks for the registration to be deleted on 410 and on dead-token 400s", async () => {
    const { client } = await setup();
    const gone = pushToken();
    await program({ path: `/3/device/${gone}`, status: 410, body: { reason: "Unregistered", timestamp: T0 } });
    expect(await client.pushPassUpdate(gone, PASS_TYPE)).toEqual({
      ok: false,
      unregister: true,
      retry: false,
      status: 410,
      reason: "Unregistered",
    });

    for (const reason of ["BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered"]) {
      const token = pushToken();
      await program({ path: `/3/device/${token}`, status: 400, body: { reason } });
      expect(await client.pushPassUpdate(token, PASS_TYPE)).toMatchObject({ ok: false, unregister: true, status: 400, reason });
    }
  });

  it("retries on 5xx, 429 and network failure; other errors are final", async () => {
    const { client } = await setup();
    const cases: Array<[number, string, boolean]> = [
      [500, "InternalServerError", true],
      [503, "ServiceUnavailable", true],
      [429, "TooManyRequests", true],
      [400, "BadTopic", false],
      [403, "InvalidProviderToken", false],
      [413, "PayloadTooLarge", false],
    ];
    for (const [status, reason, retry] of cases) {
      const token = pushToken();
      await program({ path: `/3/device/${token}`, status, body: { reason } });
      const outcome = await client.pushPassUpdate(token, PASS_TYPE);
      expect(outcome).toEqual({ ok: false, retry, status, reason });
      expect("unregister" in outcome).toBe(false);
    }

    const offline = createApnsClient(
      {
        keyId: unique("K"),
        teamId: "T",
        privateKeyPem: await exportPKCS8((await generateKeyPair("ES256", { extractable: true })).privateKey),
      },
      directTransport({ origin: "https://api.push.apple.com", fetcher: () => Promise.reject(new TypeError("Network connection lost.")) }),
    );
    expect(await offline.pushPassUpdate(pushToken(), PASS_TYPE)).toEqual({
      ok: false,
      retry: true,
      status: 0,
      reason: "TypeError: Network connection lost.",
    });
  });

  it("drops the cached token on 403 ExpiredProviderToken and retries with a new one", async () => {
    const { client, clock } = await setup();
    const [expired, next, after] = [pushToken(), pushToken(), pushToken()];
    await program({ path: `/3/device/${expired}`, status: 403, body: { reason: "ExpiredProviderToken" } });

    expect(await client.pushPassUpdate(expired, PASS_TYPE)).toEqual({
      ok: false,
      retry: true,
      status: 403,
      reason: "ExpiredProviderToken",
    });
    clock.now += 1000;
    await client.pushPassUpdate(next, PASS_TYPE);
    await client.pushPassUpdate(after, PASS_TYPE);

    const auth = async (t: string) => (await recorded(`/3/device/${t}`))[0]!.headers.authorization;
    expect(await auth(next)).not.toBe(await auth(expired));
    expect(await auth(after)).toBe(await auth(next));
  });

  it("mints one token for concurrent pushes", async () => {
    const { client } = await setup();
    const tokens = Array.from({ length: 5 }, pushToken);
    await Promise.all(tokens.map((t) => client.pushPassUpdate(t, PASS_TYPE)));
    const auths = await Promise.all(tokens.map(async (t) => (await recorded(`/3/device/${t}`))[0]!.headers.authorization));
    expect(new Set(auths).size).toBe(1);
  });

  it("refuses an unusable private key with WalletKeyError", async () => {
    const client = createApnsClient({
      origin: recorderUrl(""),
      keyId: unique("K"),
      teamId: "T",
      privateKeyPem: "-----BEGIN PRIVATE KEY-----\\nnope\\n-----END PRIVATE KEY-----",
    });
    await expect(client.pushPassUpdate(pushToken(), PASS_TYPE)).rejects.toBeInstanceOf(WalletKeyError);
  });
});
