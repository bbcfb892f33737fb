import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAGIC_LINKS_PER_EMAIL_PER_HOUR, MAGIC_LINKS_PER_IP_PER_HOUR } from "../../src/domain/customer-access/magic-link";
import { bearer, businessOn, businessWithTemplates, createTemplate, issue, json, keyAuth, request, uniqueEmail } from "../support/api";
import { askForLink, customerPassesWith, EMAIL_PATH, freshIp, mailTo, signInAs, tokenIn, waitForMail } from "../support/mail";
import { pipelineIdle } from "../support/pipeline";
import { answerGoogleTokens } from "../support/recorder";

interface CustomerPassesBody {
  email: string;
  expires_at: string;
  passes: Array<Record<string, unknown> & { id: string; business_name: string }>;
}

const passesOf = async (token: string) => json<CustomerPassesBody>(await customerPassesWith(token), 200);
const unauthorized = async (res: Response) => (await json<{ error: { code: string; message: string } }>(res, 401)).error;

/** A customer with one stamped loyalty card and a £70 gift card at one business. */
async function customerWithPasses() {
  const biz = await businessWithTemplates();
  const email = uniqueEmail("customer");
  const card = await issue(biz.businessId, biz.liveKey, { template_id: biz.loyalty.id, customer_email: email, customer_name: "Jane" });
  await json(
    await request(`/businesses/${biz.businessId}/passes/${card.id}/stamp?count=4`, { method: "POST", headers: keyAuth(biz.liveKey) }),
    200,
  );
  const gift = await issue(biz.businessId, biz.liveKey, { template_id: biz.giftCard.id, customer_email: email, initial_balance: 70 });
  return { ...biz, email, card, gift };
}

describe("customer access", () => {
  beforeAll(() => answerGoogleTokens());
  afterEach(() => vi.useRealTimers());

  it("answers a known and an unknown email alike, and mails only the one with passes", async () => {
    const { email } = await customerWithPasses();
    const unknown = uniqueEmail("nobody");
    const ip = freshIp();
    const [known, stranger] = [await askForLink(email, ip), await askForLink(unknown, ip)];
    const seen = async (res: Response) => ({
      status: res.status,
      body: await res.text(),
      type: res.headers.get("content-type"),
      headers: [...res.headers.keys()].filter((name) => name !== "x-request-id" && name !== "server-timing").sort(),
    });
    expect(await seen(known)).toEqual(await seen(stranger));
    expect(await seen(await askForLink(email.toUpperCase(), ip))).toMatchObject({ status: 200, body: '{"sent":true}' });

    await pipelineIdle();
    expect(await mailTo(unknown)).toEqual([]);
    const mails = await mailTo(email);
    expect(mails).toHaveLength(2);

    // The transport's request, in Resend's shape.
    const [{ request: sent, body }] = mails as [(typeof mails)[0]];
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(EMAIL_PATH);
    expect(sent.headers.authorization).toBe("Bearer re_test_recorder_key");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers["idempotency-key"]).toMatch(/^passlite-email\/em_[0-9a-z]{26}$/);
    expect(new Set(mails.map((m) => m.request.headers["idempotency-key"])).size).toBe(2);
    expect(Object.keys(body).sort()).toEqual(["from", "html", "subject", "text", "to"]);
    expect(body).toMatchObject({ from: "PassLite <passes@passlite.test>", to: [email], subject: "Your link to your passes" });
    const link = `https://app.passlite.test/my-passes?token=${tokenIn(mails[0]!)}`;
    expect(body.text).toContain(link);
    expect(body.html).toContain(`href="${link}"`);
    expect(body.html).not.toMatch(/<img|<script/i);
  });

  it("lists every live pass of the email, with values formatted, and never a test-mode pass", async () => {
    const { businessId, testKey, email, card, gift } = await customerWithPasses();
    const testTemplate = await createTemplate(businessId, testKey, { name: "Test card", type: "loyalty" });
    const testPass = await issue(businessId, testKey, { template_id: testTemplate.id, customer_email: email });
    const token = await signInAs(email);

    const list = await passesOf(token);
    expect(list.email).toBe(email);
    expect(Date.parse(list.expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(list.passes.map((p) => p.id).sort()).toEqual([card.id, gift.id].sort());
    expect(list.passes.map((p) => p.id)).not.toContain(testPass.id);
    const byId = Object.fromEntries(list.passes.map((p) => [p.id, p]));
    expect(byId[gift.id]).toMatchObject({
      business_id: businessId,
      business_name: "Demo Cafe",
      template_name: "Gift card",
      type: "gift_card",
      status: "active",
      balance: 70,
      balance_formatted: "£70.00",
      currency: "GBP",
      expires_at: null,
      download_url: gift.download_url,
      apple_wallet_url: `${gift.download_url}?format=pkpass`,
    });
    expect(byId[gift.id]!.google_wallet_url).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
    expect(byId[card.id]).toMatchObject({
      template_name: "Coffee card",
      type: "loyalty",
      stamps: 4,
      stamp_goal: 10,
      points: 0,
      balance: null,
    });

    // The same answer with the token as a bearer token; no cache may keep it.
    const viaHeader = await request("/public/customer/passes", { headers: { authorization: `Bearer ${token}` } });
    expect(viaHeader.headers.get("cache-control")).toBe("no-store");
    expect((await json<CustomerPassesBody>(viaHeader, 200)).passes).toEqual(list.passes);

    // A test-mode pass alone does not earn an email.
    const testOnly = uniqueEmail("test-only");
    await issue(businessId, testKey, { template_id: testTemplate.id, customer_email: testOnly });
    await askForLink(testOnly, freshIp());
    await pipelineIdle();
    expect(await mailTo(testOnly)).toEqual([]);
  });

  it("finds the customer's passes with businesses on both shards", async () => {
    const email = uniqueEmail("two-shards");
    const issued: string[] = [];
    for (const shard of ["DB", "DB_SHARD_1"]) {
      const { businessId, key } = await businessOn(shard, { business_name: `Shop on ${shard}` });
      const template = await createTemplate(businessId, key, { name: `Card on ${shard}`, type: "loyalty", stamp_goal: 8 });
      issued.push((await issue(businessId, key, { template_id: template.id, customer_email: email })).id);
    }
    const list = await passesOf(await signInAs(email));
    expect(list.passes.map((p) => p.id).sort()).toEqual(issued.sort());
    expect(list.passes.map((p) => p.business_name)).toEqual(["Shop on DB", "Shop on DB_SHARD_1"]);
  });

  it("stops working 15 minutes after the link was asked for (frozen clock)", async () => {
    const { email } = await customerWithPasses();
    const asked = Date.now();
    const token = await signInAs(email);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(asked + 14 * 60_000);
    expect((await passesOf(token)).passes).toHaveLength(2);
    vi.setSystemTime(asked + 15 * 60_000 + 1000);
    expect(await unauthorized(await customerPassesWith(token))).toEqual({
      code: "unauthorized",
      message: "This sign-in link has expired; ask for a new one",
      status: 401,
    });
  });

  it("refuses a tampered token, a dashboard token, and no token, in the error envelope", async () => {
    const { email, session } = await customerWithPasses();
    const token = await signInAs(email);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = btoa(JSON.stringify({ ...claims, sub: uniqueEmail("eve") }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    for (const bad of [`${header}.${forged}.${signature}`, `${header}.${payload}.${signature.slice(0, -4)}AAAA`, session.access_token]) {
      expect(await unauthorized(await customerPassesWith(bad))).toMatchObject({ code: "unauthorized", message: "Invalid sign-in token" });
    }
    // A customer token is no dashboard token either.
    expect((await request("/businesses/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await request("/businesses/me", { headers: bearer(session) })).status).toBe(200);
    expect((await unauthorized(await request("/public/customer/passes"))).message).toContain("sign-in token is required");
  });

  it("logs out everywhere: every token sent before stops working, later ones work", async () => {
    const { email } = await customerWithPasses();
    const first = await signInAs(email);
    const second = await signInAs(email);
    expect((await passesOf(first)).passes).toHaveLength(2);
    const out = await request("/public/customer/logout-everywhere", { method: "POST", headers: { authorization: `Bearer ${second}` } });
    expect(await json(out, 200)).toEqual({ logged_out: true });
    for (const token of [first, second]) {
      expect((await unauthorized(await customerPassesWith(token))).message).toContain("signed out everywhere");
    }
    expect(
      (await request("/public/customer/logout-everywhere", { method: "POST", headers: { authorization: `Bearer ${first}` } })).status,
    ).toBe(401);
    expect((await passesOf(await signInAs(email))).passes).toHaveLength(2);
  });

  it(`sends an email at most ${MAGIC_LINKS_PER_EMAIL_PER_HOUR} links an hour, and answers the same past the limit`, async () => {
    const { email } = await customerWithPasses();
    const answers: string[] = [];
    for (let i = 0; i < MAGIC_LINKS_PER_EMAIL_PER_HOUR + 2; i++) {
      const res = await askForLink(email, freshIp());
      answers.push(`${res.status} ${await res.text()}`);
    }
    expect(new Set(answers)).toEqual(new Set(['200 {"sent":true}']));
    await pipelineIdle();
    expect(await mailTo(email)).toHaveLength(MAGIC_LINKS_PER_EMAIL_PER_HOUR);
  });

  it(`takes at most ${MAGIC_LINKS_PER_IP_PER_HOUR} requests an hour from one client address`, async () => {
    const { email } = await customerWithPasses();
    const ip = freshIp();
    for (let i = 0; i < MAGIC_LINKS_PER_IP_PER_HOUR; i++) expect((await askForLink(uniqueEmail("probe"), ip)).status).toBe(200);
    const limited = await askForLink(email, ip);
    expect(await json(limited, 200)).toEqual({ sent: true });
    await pipelineIdle();
    expect(await mailTo(email)).toEqual([]);
    // Another address is not held up by that one.
    await askForLink(email, freshIp());
    expect(await waitForMail(email)).toHaveLength(1);
  });

  it("validates the request: a malformed email is a 422, never a lookup", async () => {
    const res = await request("/public/customer/magic-link", { method: "POST", json: { email: "not-an-email" } });
    const body = await json<{ error: { code: string; fields: Array<{ path: string }> } }>(res, 422);
    expect(body.error.fields[0]!.path).toBe("email");
  });
});
