import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import type { TemplateType } from "../../../src/domain/enums";
import { googleResourcesFor } from "../../../src/wallet/google/classes-objects";
import { createGoogleWalletClient, WALLET_ISSUER_SCOPE } from "../../../src/wallet/google/wallet-api";
import { program, recorded, recorderUrl, unique } from "../recorder";

const ISSUER = "3388000000012345678";
const T0 = Date.parse("2026-05-01T12:00:00Z");
const keys = generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });

/** A client of its own: unique service account, token URL and API prefix, so parallel tests never share state. */
async function setup(
  tokenAnswers: Array<{ status: number; body: unknown }> = [{ status: 200, body: { access_token: "at-1", expires_in: 3600 } }],
) {
  const { publicKey, privateKey } = await keys;
  const id = unique("g");
  const tokenPath = `/oauth-${id}/token`;
  const apiPrefix = `/api-${id}`;
  for (const answer of tokenAnswers) await program({ path: tokenPath, times: 1, ...answer });
  const clock = { now: T0 };
  const email = `${id}@demo.iam.gserviceaccount.com`;
  const client = createGoogleWalletClient({
    apiOrigin: recorderUrl(apiPrefix),
    tokenUrl: recorderUrl(tokenPath),
    serviceAccountEmail: email,
    privateKeyPem: (await exportPKCS8(privateKey)).replace(/\n/g, "\\n"),
    now: () => clock.now,
  });
  const resources = (type: TemplateType = "loyalty") =>
    googleResourcesFor(
      ISSUER,
      { id: `tpl_${id}`, type, name: "Card", organizationName: "Demo Cafe", colors: {} },
      { serialNumber: unique("PL"), status: "active", points: 5, stamps: 0, balance: null, barcode: { format: "qr", value: "v" } },
    );
  return { client, clock, email, publicKey, tokenPath, apiPrefix, resources, tokenUrl: recorderUrl(tokenPath) };
}

describe("Google Wallet REST client", () => {
  it("gets an access token with a signed JWT-bearer assertion and PATCHes the object with it", async () => {
    const { client, email, publicKey, tokenPath, apiPrefix, resources, tokenUrl } = await setup();
    const r = resources();

    expect(await client.upsertObject(r)).toEqual({ ok: true, status: 200, retry: false, created: false });

    const [tokenReq, ...moreTokenReqs] = await recorded(tokenPath);
    expect(moreTokenReqs).toEqual([]);
    expect(tokenReq!.method).toBe("POST");
    expect(tokenReq!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(tokenReq!.body);
    expect([...form.keys()].sort()).toEqual(["assertion", "grant_type"]);
    expect(form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    const { payload, protectedHeader } = await jwtVerify(form.get("assertion")!, publicKey, {
      issuer: email,
      audience: tokenUrl,
      currentDate: new Date(T0),
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toEqual({ iss: email, aud: tokenUrl, scope: WALLET_ISSUER_SCOPE, iat: T0 / 1000, exp: T0 / 1000 + 3600 });

    const apiReqs = await recorded(apiPrefix);
    expect(apiReqs).toHaveLength(1);
    expect(apiReqs[0]).toMatchObject({ method: "PATCH", path: `${apiPrefix}/walletobjects/v1/loyaltyObject/${r.objectResource.id}` });
    expect(apiReqs[0]!.headers.authorization).toBe("Bearer at-1");
    expect(apiReqs[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(apiReqs[0]!.body)).toEqual(r.objectResource);
  });

  it("reuses the access token until 60 s before it expires", async () => {
    const { client, clock, tokenPath, apiPrefix, resources } = await setup([
      { status: 200, body: { access_token: "at-1", expires_in: 3600 } },
      { status: 200, body: { access_token: "at-2", expires_in: 3600 } },
    ]);
    await client.upsertObject(resources());
    clock.now = T0 + 3539_000;
    await client.upsertObject(resources());
    expect(await recorded(tokenPath)).toHaveLength(1);
    clock.now = T0 + 3540_000;
    await client.upsertObject(resources());
    expect(await recorded(tokenPath)).toHaveLength(2);

    const auths = (await recorded(apiPrefix)).map((r) => r.headers.authorization);
    expect(auths).toEqual(["Bearer at-1", "Bearer at-1", "Bearer at-2"]);
  });

  it("fetches one token for concurrent writes", async () => {
    const { client, tokenPath, resources } = await setup();
    const results = await Promise.all(Array.from({ length: 4 }, () => client.upsertObject(resources())));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await recorded(tokenPath)).toHaveLength(1);
  });

  it("on 404 inserts the class and then the object", async () => {
    const { client, apiPrefix, resources } = await setup();
    const r = resources("gift_card");
    await program({
      method: "PATCH",
      path: `${apiPrefix}/walletobjects/v1/giftCardObject/`,
      status: 404,
      body: { error: { code: 404, message: "not found" } },
    });

    expect(await client.upsertObject(r)).toEqual({ ok: true, status: 200, retry: false, created: true });

    const reqs = await recorded(apiPrefix);
    expect(reqs.map((q) => `${q.method} ${q.path.slice(apiPrefix.length)}`)).toEqual([
      `PATCH /walletobjects/v1/giftCardObject/${r.objectResource.id}`,
      "POST /walletobjects/v1/giftCardClass",
      "POST /walletobjects/v1/giftCardObject",
    ]);
    expect(JSON.parse(reqs[1]!.body)).toEqual(r.classResource);
    expect(JSON.parse(reqs[2]!.body)).toEqual(r.objectResource);
    expect(reqs.every((q) => q.headers.authorization === "Bearer at-1")).toBe(true);
  });

  it("treats 409 on the class insert as already there", async () => {
    const { client, apiPrefix, resources } = await setup();
    await program({ method: "PATCH", path: `${apiPrefix}/walletobjects/v1/eventTicketObject/`, status: 404 });
    await program({
      method: "POST",
      path: `${apiPrefix}/walletobjects/v1/eventTicketClass`,
      status: 409,
      body: { error: { code: 409, message: "exists" } },
    });
    expect(await client.upsertObject(resources("event_ticket"))).toEqual({ ok: true, status: 200, retry: false, created: true });
    expect((await recorded(apiPrefix)).map((q) => q.method)).toEqual(["PATCH", "POST", "POST"]);
  });

  it("writes over an object inserted concurrently (409 on the object insert)", async () => {
    const { client, apiPrefix, resources } = await setup();
    await program({ method: "PATCH", path: `${apiPrefix}/walletobjects/v1/genericObject/`, status: 404, times: 1 });
    await program({ method: "POST", path: `${apiPrefix}/walletobjects/v1/genericObject`, status: 409 });
    expect(await client.upsertObject(resources("generic"))).toEqual({ ok: true, status: 200, retry: false, created: false });
    expect((await recorded(apiPrefix)).map((q) => q.method)).toEqual(["PATCH", "POST", "POST", "PATCH"]);
  });

  it("reports a failed class insert without inserting the object", async () => {
    const { client, apiPrefix, resources } = await setup();
    await program({ method: "PATCH", path: `${apiPrefix}/walletobjects/v1/loyaltyObject/`, status: 404 });
    await program({
      method: "POST",
      path: `${apiPrefix}/walletobjects/v1/loyaltyClass`,
      status: 400,
      body: { error: { code: 400, message: "programLogo is required" } },
    });
    expect(await client.upsertObject(resources())).toEqual({ ok: false, status: 400, retry: false, reason: "programLogo is required" });
    expect(await recorded(`${apiPrefix}/walletobjects/v1/loyaltyObject`)).toHaveLength(1);
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [400, false],
    [403, false],
  ])("a %i from the API is retry: %s", async (status, retry) => {
    const { client, apiPrefix, resources } = await setup();
    await program({ path: `${apiPrefix}/`, status, body: { error: { code: status, message: `status ${status}` } } });
    expect(await client.upsertObject(resources())).toEqual({ ok: false, status, retry, reason: `status ${status}` });
  });

  it("drops the access token on 401 so the retry gets a new one", async () => {
    const { client, apiPrefix, tokenPath, resources } = await setup([
      { status: 200, body: { access_token: "at-1", expires_in: 3600 } },
      { status: 200, body: { access_token: "at-2", expires_in: 3600 } },
    ]);
    await program({ path: `${apiPrefix}/`, status: 401, times: 1 });
    expect(await client.upsertObject(resources())).toMatchObject({ ok: false, status: 401, retry: true });
    expect(await client.upsertObject(resources())).toMatchObject({ ok: true });
    expect(await recorded(tokenPath)).toHaveLength(2);
    expect((await recorded(apiPrefix)).map((q) => q.headers.authorization)).toEqual(["Bearer at-1", "Bearer at-2"]);
  });

  it("turns token endpoint failures into results", async () => {
    const refused = await setup([{ status: 400, body: { error: "invalid_grant", error_description: "Invalid JWT Signature." } }]);
    expect(await refused.client.upsertObject(refused.resources())).toEqual({
      ok: false,
      status: 400,
      retry: false,
      reason: "token request refused: invalid_grant: Invalid JWT Signature.",
    });
    expect(await recorded(refused.apiPrefix)).toEqual([]);

    const down = await setup([{ status: 503, body: {} }]);
    expect(await down.client.upsertObject(down.resources())).toMatchObject({ ok: false, status: 503, retry: true });

    const empty = await setup([{ status: 200, body: {} }]);
    expect(await empty.client.upsertObject(empty.resources())).toMatchObject({
      ok: false,
      retry: true,
      reason: "token response has no access_token",
    });
  });

  it("treats network failures as retryable", async () => {
    const { privateKey } = await keys;
    const client = createGoogleWalletClient(
      { serviceAccountEmail: `${unique("net")}@x.iam.gserviceaccount.com`, privateKeyPem: await exportPKCS8(privateKey) },
      () => Promise.reject(new TypeError("Network connection lost.")),
    );
    const { resources } = await setup();
    expect(await client.upsertObject(resources())).toEqual({
      ok: false,
      status: 0,
      retry: true,
      reason: "token request failed: TypeError: Network connection lost.",
    });
  });

  it("upsertClass PATCHes the class, inserting it on 404", async () => {
    const { client, apiPrefix, resources } = await setup();
    const r = resources();
    expect(await client.upsertClass(r)).toEqual({ ok: true, status: 200, retry: false, created: false });
    await program({ method: "PATCH", path: `${apiPrefix}/walletobjects/v1/loyaltyClass/`, status: 404 });
    expect(await client.upsertClass(r)).toEqual({ ok: true, status: 200, retry: false, created: true });
    expect((await recorded(apiPrefix)).map((q) => `${q.method} ${q.path.slice(apiPrefix.length)}`)).toEqual([
      `PATCH /walletobjects/v1/loyaltyClass/${r.classResource.id}`,
      `PATCH /walletobjects/v1/loyaltyClass/${r.classResource.id}`,
      "POST /walletobjects/v1/loyaltyClass",
    ]);
  });
});
