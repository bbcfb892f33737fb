import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { businessWithTemplates, issue, json, keyAuth, request } from "../../support/api";
import { chain, newKey, publish } from "../../support/google-callback";

const ISSUER = env.GOOGLE_ISSUER_ID!;
let root: CryptoKeyPair;

beforeAll(async () => {
  // The Worker fetches Google's root keys from GOOGLE_CALLBACK_ROOT_KEYS_URL: the recorder serves ours.
  root = await newKey();
  await publish([{ key: root }], new URL(env.GOOGLE_CALLBACK_ROOT_KEYS_URL!).pathname);
});

async function passAndEvents() {
  const biz = await businessWithTemplates();
  const pass = await issue(biz.businessId, biz.liveKey, { template_id: biz.loyalty.id });
  const events = async () =>
    (await json(await request(`/businesses/${biz.businessId}/passes/${pass.id}/events`, { headers: keyAuth(biz.liveKey) }), 200)).data.map(
      (e: { type: string; data: { wallet?: string } }) => `${e.type}:${e.data.wallet ?? ""}`,
    );
  return { pass, events };
}

const post = (body: unknown) => request("/wallet/google/callback", { method: "POST", json: body });

describe("Google Wallet callbacks", () => {
  it("turns a verified save into pass.installed and a delete into pass.uninstalled, once per nonce", async () => {
    const { pass, events } = await passAndEvents();
    const objectId = `${ISSUER}.${pass.serial_number}`;
    const save = await chain({ issuer: ISSUER, now: Date.now(), objectId, signingRoot: root });
    expect((await post(save.body)).status).toBe(200);
    expect((await post(save.body)).status).toBe(200); // Google's retry of the same callback
    const del = await chain({ issuer: ISSUER, now: Date.now(), objectId, eventType: "del", signingRoot: root });
    expect((await post(del.body)).status).toBe(200);
    expect(await events()).toEqual(["pass.uninstalled:google", "pass.installed:google", "pass.created:"]);
  });

  it("refuses forged and unsigned callbacks with 401 and records nothing", async () => {
    const { pass, events } = await passAndEvents();
    const objectId = `${ISSUER}.${pass.serial_number}`;
    const forged = await chain({ issuer: ISSUER, now: Date.now(), objectId }); // signed by a root Google never published
    expect((await post(forged.body)).status).toBe(401);
    const genuine = await chain({ issuer: ISSUER, now: Date.now(), objectId, signingRoot: root });
    const tampered = { ...genuine.body, signedMessage: genuine.body.signedMessage.replace('"save"', '"del"') };
    expect((await post(tampered)).status).toBe(401);
    expect((await post({ signedMessage: JSON.stringify(genuine.message) })).status).toBe(401);
    expect((await post("not json at all")).status).toBe(401);
    expect(await events()).toEqual(["pass.created:"]);
  });
});
