import { decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, post, providerToken, push, SECRET, startRelayWithStandIns, tokens, walletPush } from "./harness";

describe("the APNs relay", () => {
  let env: Awaited<ReturnType<typeof startRelayWithStandIns>>;
  let jwt: string;
  let publicKey: CryptoKey;
  beforeAll(async () => {
    env = await startRelayWithStandIns();
    ({ jwt, publicKey } = await providerToken());
  });
  afterAll(() => env.stop());

  it("sends each notification as an HTTP/2 POST to /3/device/<token> with Apple's headers and the Worker's provider token", async () => {
    const [token] = tokens(1);
    const [result] = await push(env.relay, jwt, [walletPush(token!)]);

    const [request, ...rest] = env.production.requests.filter((r) => r.token === token);
    expect(rest).toEqual([]);
    expect(request).toMatchObject({ method: "POST", path: `/3/device/${token}`, body: "{}" });
    expect(request!.headers).toMatchObject({
      "apns-topic": "pass.dev.passlite.local",
      "apns-push-type": "background",
      "apns-priority": "5",
      "content-type": "application/json",
      authorization: `bearer ${jwt}`,
    });
    const passed = request!.headers.authorization!.replace(/^bearer /, "");
    expect(decodeProtectedHeader(passed)).toEqual({ alg: "ES256", kid: "KEYID12345" });
    expect((await jwtVerify(passed, publicKey, { algorithms: ["ES256"] })).payload.iss).toBe("TEAM123456");
    expect(result).toEqual({ status: 200, apnsId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
  });

  it("passes Apple's status, apns-id and reason back unchanged and in order", async () => {
    const [ok, gone, bad, busy] = tokens(4);
    env.production.answer(gone!, { status: 410, reason: "Unregistered", timestamp: 1_767_225_600_000 });
    env.production.answer(bad!, { status: 400, reason: "BadDeviceToken" });
    env.production.answer(busy!, { status: 429, reason: "TooManyRequests" });

    const results = await push(
      env.relay,
      jwt,
      [ok, gone, bad, busy].map((t) => walletPush(t!)),
    );

    expect(results.map(({ status, reason, timestamp }) => ({ status, reason, timestamp }))).toEqual([
      { status: 200, reason: undefined, timestamp: undefined },
      { status: 410, reason: "Unregistered", timestamp: 1_767_225_600_000 },
      { status: 400, reason: "BadDeviceToken", timestamp: undefined },
      { status: 429, reason: "TooManyRequests", timestamp: undefined },
    ]);
    for (const result of results) expect(result.apnsId).toMatch(/^[0-9A-F-]{36}$/);
    expect(new Set(results.map((r) => r.apnsId)).size).toBe(4);
  });

  it("sends sandbox notifications to the sandbox host and production ones to production", async () => {
    const [live, dev] = tokens(2);
    await push(env.relay, jwt, [walletPush(live!), walletPush(dev!, "sandbox")]);
    expect(deliveries(env.production, [live!, dev!])).toEqual([1, 0]);
    expect(deliveries(env.sandbox, [live!, dev!])).toEqual([0, 1]);
  });

  it("reconnects when the connection to APNs drops between batches", async () => {
    const [before, after] = tokens(2);
    await push(env.relay, jwt, [walletPush(before!)]);
    const connections = env.production.stats.connections;
    env.production.dropConnections();
    const [result] = await push(env.relay, jwt, [walletPush(after!)]);
    expect(result!.status).toBe(200);
    expect(env.production.stats.connections).toBe(connections + 1);
    expect(deliveries(env.production, [before!, after!])).toEqual([1, 1]);
  });

  it("refuses requests without the secret, with a wrong one or another scheme (401), and sends nothing", async () => {
    const [token] = tokens(1);
    const body = { authorization: `bearer ${jwt}`, notifications: [walletPush(token!)] };
    for (const authorization of [null, "Bearer wrong-secret", `Basic ${SECRET}`, `Bearer ${SECRET}x`, SECRET]) {
      const res = await post(env.relay, body, authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
    expect((await fetch(`${env.relay.origin}/anything`)).status).toBe(401);
    expect(deliveries(env.production, [token!])).toEqual([0]);
    expect(await (await fetch(`${env.relay.origin}/health`)).json()).toEqual({ ok: true });
  });

  it("rejects malformed batches (400) and more than 1,000 notifications (413)", async () => {
    const auth = `bearer ${jwt}`;
    const cases: Array<[unknown, number, RegExp]> = [
      ["not json", 400, /JSON/],
      [{ notifications: [walletPush("a")] }, 400, /authorization/],
      [{ authorization: auth, notifications: [] }, 400, /non-empty/],
      [{ authorization: auth, notifications: [{ ...walletPush("a"), priority: 7 }] }, 400, /notifications\[0\]\.priority/],
      [{ authorization: auth, notifications: [walletPush("a"), { ...walletPush("b"), token: "../x" }] }, 400, /notifications\[1\]\.token/],
      [{ authorization: auth, notifications: [{ ...walletPush("a"), environment: "staging" }] }, 400, /environment/],
      [{ authorization: auth, notifications: tokens(1001).map((t) => walletPush(t)) }, 413, /at most 1000/],
    ];
    for (const [body, status, error] of cases) {
      const res = await post(env.relay, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
  });
});

describe("the APNs relay under load and GOAWAY", () => {
  it("sends a batch of 1,000 as one request and 1,000 streams on one connection, within the peer's stream limit", async () => {
    const env = await startRelayWithStandIns({}, 64);
    try {
      const { jwt } = await providerToken();
      const batch = tokens(1000);
      const results = await push(
        env.relay,
        jwt,
        batch.map((t) => walletPush(t)),
      );
      expect(results).toHaveLength(1000);
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(env.production.requests).toHaveLength(1000);
      expect(deliveries(env.production, batch).every((n) => n === 1)).toBe(true);
      expect(env.production.stats.connections).toBe(1);
      expect(env.production.stats.peakConcurrentStreams).toBeLessThanOrEqual(64);
      expect(env.production.stats.peakConcurrentStreams).toBeGreaterThan(1);
      expect(env.production.stats.refusedStreams).toBe(0);
    } finally {
      await env.stop();
    }
  });

  it("after a GOAWAY mid-batch, sends what APNs did not process on a new connection, each exactly once", async () => {
    const env = await startRelayWithStandIns({}, 100);
    try {
      const { jwt } = await providerToken();
      env.production.goAwayAfter(150);
      const batch = tokens(1000);
      const results = await push(
        env.relay,
        jwt,
        batch.map((t) => walletPush(t)),
      );

      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(deliveries(env.production, batch).every((n) => n === 1)).toBe(true);
      expect(env.production.requests).toHaveLength(1000);
      // The first connection processed 150 and refused streams already in flight; the rest went on a second.
      expect(env.production.requests.filter((r) => r.connection === 1)).toHaveLength(150);
      expect(env.production.stats.refusedStreams).toBeGreaterThan(0);
      expect(env.production.stats.connections).toBe(2);
    } finally {
      await env.stop();
    }
  });

  it("sends a refused notification again only once, then reports it unanswered (status 0)", async () => {
    const env = await startRelayWithStandIns();
    try {
      const { jwt } = await providerToken();
      env.production.goAwayAfter(0, 3);
      const [token] = tokens(1);
      const [result] = await push(env.relay, jwt, [walletPush(token!)]);
      expect(result).toEqual({ status: 0, reason: expect.any(String) });
      expect(env.production.stats.refusedStreams).toBe(2);
      expect(env.production.stats.connections).toBe(2);
      expect(deliveries(env.production, [token!])).toEqual([0]);
    } finally {
      await env.stop();
    }
  });

  it("gives up on a stream APNs never answers (status 0) without sending it again, and moves to a new connection", async () => {
    const env = await startRelayWithStandIns({ APNS_STREAM_TIMEOUT_MS: "1000" });
    try {
      const { jwt } = await providerToken();
      const [silent, next] = tokens(2);
      env.production.answer(silent!, { status: 200, hang: true });
      const [result] = await push(env.relay, jwt, [walletPush(silent!)]);
      expect(result).toEqual({ status: 0, reason: "APNs did not answer within 1000 ms" });
      expect((await push(env.relay, jwt, [walletPush(next!)]))[0]!.status).toBe(200);
      expect(deliveries(env.production, [silent!, next!])).toEqual([1, 1]);
      expect(env.production.requests.find((r) => r.token === next)!.connection).toBe(2);
    } finally {
      await env.stop();
    }
  });

  it("counts a stream's timeout from when it is sent, not while it waits for a stream the peer allows", async () => {
    const env = await startRelayWithStandIns({ APNS_STREAM_TIMEOUT_MS: "400" }, 1);
    try {
      const { jwt } = await providerToken();
      const batch = tokens(6);
      for (const token of batch) env.production.answer(token, { status: 200, delayMs: 150 });
      const results = await push(
        env.relay,
        jwt,
        batch.map((t) => walletPush(t)),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(env.production.stats.peakConcurrentStreams).toBe(1);
    } finally {
      await env.stop();
    }
  });

  it("answers status 0 with the connection error when APNs cannot be reached", async () => {
    const env = await startRelayWithStandIns({ APNS_PRODUCTION_ORIGIN: "https://127.0.0.1:1" });
    try {
      const { jwt } = await providerToken();
      const [result] = await push(env.relay, jwt, [walletPush("unreachable")]);
      expect(result).toEqual({ status: 0, reason: expect.stringContaining("ECONNREFUSED") });
    } finally {
      await env.stop();
    }
  });
});
