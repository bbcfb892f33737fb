import { env } from "cloudflare:test";
import { exportPKCS8, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import type { Env } from "../../../src/env";
import { createApnsClient } from "../../../src/wallet/apple/apns";
import { apnsClient } from "../../../src/wallet/apple/apns-config";
import { relayTransport } from "../../../src/wallet/apple/apns-transport";
import type { FetchLike } from "../../../src/wallet/signing-keys";
import { answerPushes, deliveryCounts, pushesTo } from "../../support/apns-stand-in-client";
import { recorded } from "../recorder";

const PASS_TYPE = "pass.dev.passlite.local";
const tokens = (n: number, label = "relay") => Array.from({ length: n }, (_, i) => `${label}-${i}-${crypto.randomUUID()}`);
const targets = (pushTokens: string[]) => pushTokens.map((pushToken) => ({ pushToken, passTypeIdentifier: PASS_TYPE }));

/** fetch that notes how many notifications each relay request carried. */
function countingFetch() {
  const batches: number[] = [];
  const fetcher: FetchLike = async (input, init) => {
    batches.push(JSON.parse(String(init?.body)).notifications.length);
    return fetch(input, init);
  };
  return { fetcher, batches };
}

async function client(transportOptions: { origin?: string; secret?: string; fetcher?: FetchLike } = {}) {
  const key = await exportPKCS8((await generateKeyPair("ES256", { extractable: true })).privateKey);
  return createApnsClient(
    { keyId: `K${crypto.randomUUID().slice(0, 9)}`, teamId: "DEVTEAM000", privateKeyPem: key },
    relayTransport({ origin: env.APNS_RELAY_URL!, secret: env.APNS_RELAY_SECRET!, ...transportOptions }),
  );
}

describe("APNs through the relay", () => {
  it("sends 1,000 pushes as one relay request, and the relay delivers each once over HTTP/2", async () => {
    const { fetcher, batches } = countingFetch();
    const batch = tokens(1000);
    const outcomes = await (await client({ fetcher })).pushPassUpdates(targets(batch));
    expect(batches).toEqual([1000]);
    expect(outcomes).toHaveLength(1000);
    expect(outcomes.every((o) => o.ok && o.status === 200)).toBe(true);
    expect(new Set(await deliveryCounts(batch))).toEqual(new Set([1]));
  });

  it("splits more than 1,000 pushes into relay requests of at most 1,000", async () => {
    const { fetcher, batches } = countingFetch();
    const batch = tokens(2001);
    const outcomes = await (await client({ fetcher })).pushPassUpdates(targets(batch));
    expect(batches.sort()).toEqual([1, 1000, 1000]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2001);
    expect(new Set(await deliveryCounts(batch))).toEqual(new Set([1]));
  });

  it("turns Apple's answers, passed back by the relay, into outcomes in the order of the pushes", async () => {
    const [ok, gone, bad, busy, denied] = tokens(5);
    await answerPushes(gone!, { status: 410, reason: "Unregistered", timestamp: 1 });
    await answerPushes(bad!, { status: 400, reason: "BadDeviceToken" });
    await answerPushes(busy!, { status: 503, reason: "ServiceUnavailable" });
    await answerPushes(denied!, { status: 400, reason: "BadTopic" });
    const outcomes = await (await client()).pushPassUpdates(targets([ok!, gone!, bad!, busy!, denied!]));
    expect(outcomes).toEqual([
      { ok: true, status: 200 },
      { ok: false, unregister: true, retry: false, status: 410, reason: "Unregistered" },
      { ok: false, unregister: true, retry: false, status: 400, reason: "BadDeviceToken" },
      { ok: false, retry: true, status: 503, reason: "ServiceUnavailable" },
      { ok: false, retry: false, status: 400, reason: "BadTopic" },
    ]);
  });

  it("mints a new provider token after APNs answers ExpiredProviderToken through the relay", async () => {
    const apns = await client();
    const [expired, next] = tokens(2);
    await answerPushes(expired!, { status: 403, reason: "ExpiredProviderToken", times: 1 });
    expect(await apns.pushPassUpdate(expired!, PASS_TYPE)).toEqual({ ok: false, retry: true, status: 403, reason: "ExpiredProviderToken" });
    // Signing at the same second could repeat the token: wait past it.
    await new Promise((r) => setTimeout(r, 1100));
    await apns.pushPassUpdate(next!, PASS_TYPE);
    const [first] = await pushesTo(expired!);
    const [second] = await pushesTo(next!);
    expect(second!.headers.authorization).not.toBe(first!.headers.authorization);
  });

  it("retries every push when the relay refuses the secret or cannot be reached", async () => {
    const [a, b] = tokens(2);
    const refused = await (await client({ secret: "not-the-relay-secret-not-the-relay-secret" })).pushPassUpdates(targets([a!, b!]));
    expect(refused).toEqual([
      { ok: false, retry: true, status: 0, reason: expect.stringContaining("APNs relay answered 401") },
      { ok: false, retry: true, status: 0, reason: expect.stringContaining("APNs relay answered 401") },
    ]);
    const down = await (await client({ fetcher: () => Promise.reject(new Error("the container is not listening")) })).pushPassUpdates(
      targets([a!]),
    );
    expect(down).toEqual([{ ok: false, retry: true, status: 0, reason: "APNs relay unreachable: Error: the container is not listening" }]);
    expect(await deliveryCounts([a!, b!])).toEqual([0, 0]);
  });
});

describe("choosing how pushes leave", () => {
  const withEnv = (overrides: Partial<Env>) => {
    const overridden = { ...env, ...overrides };
    return apnsClient(overridden, loadConfig(overridden))!;
  };

  it("uses APNS_RELAY_URL when set", async () => {
    const [token] = tokens(1);
    expect(await withEnv({}).pushPassUpdate(token!, PASS_TYPE)).toEqual({ ok: true, status: 200 });
    expect(await pushesTo(token!)).toHaveLength(1);
  });

  it("otherwise sends the batch to the one APNS_RELAY container instance", async () => {
    // Containers do not run locally: this namespace hands the container's requests to the local relay.
    const seen: Array<{ name: string; path: string }> = [];
    const namespace = {
      idFromName: (name: string) => name,
      get: (name: string) => ({
        fetch: (req: Request) => {
          seen.push({ name, path: new URL(req.url).pathname });
          return fetch(`${env.APNS_RELAY_URL}${new URL(req.url).pathname}`, req);
        },
      }),
    } as unknown as NonNullable<Env["APNS_RELAY"]>;
    const [token] = tokens(1);
    const apns = withEnv({ APNS_RELAY_URL: undefined, APNS_RELAY: namespace });
    expect(await apns.pushPassUpdates(targets([token!, `${token}-2`]))).toEqual([
      { ok: true, status: 200 },
      { ok: true, status: 200 },
    ]);
    expect(seen).toEqual([{ name: "apns", path: "/push" }]);
    expect(await pushesTo(token!)).toHaveLength(1);
  });

  it("with neither, fetches APNS_ORIGIN directly", async () => {
    const [token] = tokens(1);
    expect(await withEnv({ APNS_RELAY_URL: undefined, APNS_RELAY: undefined }).pushPassUpdate(token!, PASS_TYPE)).toEqual({
      ok: true,
      status: 200,
    });
    expect(await recorded(`/3/device/${token}`)).toHaveLength(1);
    expect(await pushesTo(token!)).toHaveLength(0);
  });

  it("refuses to push through a relay without APNS_RELAY_SECRET", async () => {
    await expect(withEnv({ APNS_RELAY_SECRET: undefined }).pushPassUpdate("t", PASS_TYPE)).rejects.toThrow(/APNS_RELAY_SECRET/);
  });
});
