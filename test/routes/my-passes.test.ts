import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { bearer, businessWithTemplates, issue, json, keyAuth, request, uniqueEmail } from "../support/api";
import { customerPassesWith, freshIp, signInAs, waitForMail } from "../support/mail";
import { answerGoogleTokens } from "../support/recorder";

const PAGE = "https://app.passlite.test/my-passes";

const open = (url: string, init: RequestInit = {}) => request(url, { redirect: "manual", ...init });
const withCookie = (cookie: string) => ({ headers: { cookie } });

/** The cookie the link's redirect sets, as a browser would send it back. */
async function followLink(token: string) {
  const res = await open(`${PAGE}?token=${encodeURIComponent(token)}`);
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/my-passes");
  const setCookie = res.headers.get("set-cookie")!;
  return { setCookie, cookie: setCookie.split(";")[0]! };
}

function expectStrictPolicy(res: Response, body: string) {
  const csp = res.headers.get("content-security-policy")!;
  const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(nonce).toBeTruthy();
  expect(body).toContain(`<style nonce="${nonce}">`);
  expect(body).not.toMatch(/<script|\sstyle="/i);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
}

/** A customer of a business whose name needs escaping: a 4-stamp card and a £70 gift card. */
async function customer() {
  const biz = await businessWithTemplates();
  await json(
    await request("/businesses/me", { method: "PATCH", headers: bearer(biz.session), json: { name: `Ben & Jo's <i>Bakery</i>` } }),
    200,
  );
  const email = uniqueEmail("page");
  const card = await issue(biz.businessId, biz.liveKey, { template_id: biz.loyalty.id, customer_email: email });
  await request(`/businesses/${biz.businessId}/passes/${card.id}/stamp?count=4`, { method: "POST", headers: keyAuth(biz.liveKey) });
  const gift = await issue(biz.businessId, biz.liveKey, { template_id: biz.giftCard.id, customer_email: email, initial_balance: 70 });
  return { email, card, gift };
}

describe("/my-passes", () => {
  beforeAll(() => answerGoogleTokens());
  afterEach(() => vi.useRealTimers());

  it("asks for an email under a strict content security policy", async () => {
    const res = await open(PAGE);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain("Find your passes");
    expect(body).toContain('<form class="panel" method="post" action="/my-passes">');
    expectStrictPolicy(res, body);
  });

  it("sends the link from the form and says to check the inbox; a malformed email is explained", async () => {
    const { email } = await customer();
    const form = new URLSearchParams({ email });
    const res = await open(PAGE, {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp() },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/my-passes?sent");
    const inbox = await open(`${PAGE}?sent`);
    expect(await inbox.text()).toContain("Check your inbox");
    await waitForMail(email);

    const bad = await open(PAGE, {
      method: "POST",
      body: new URLSearchParams({ email: "<b>nope" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const page = await bad.text();
    expect(bad.status).toBe(422);
    expect(page).toContain("Enter a whole email address");
    expect(page).toContain('value="&lt;b&gt;nope"');
  });

  it("moves the token from the address into a cookie, then shows the passes with their values formatted", async () => {
    const { email, gift } = await customer();
    const { setCookie, cookie } = await followLink(await signInAs(email));
    expect(setCookie).toMatch(/^passlite_customer=[\w.-]+; Max-Age=900; Path=\/my-passes; HttpOnly; Secure; SameSite=Lax$/);

    const res = await open(PAGE, withCookie(cookie));
    const body = await res.text();
    expect(res.status).toBe(200);
    expectStrictPolicy(res, body);
    expect(body).toContain("Your passes");
    expect(body).toContain(email);
    expect(body).toContain("Ben &amp; Jo&#39;s &lt;i&gt;Bakery&lt;/i&gt;");
    expect(body).not.toContain("<i>Bakery");
    expect(body).toContain("£70.00");
    expect(body).toContain("4 of 10");
    expect(body).toContain(`href="${gift.download_url}?format=pkpass"`);
    expect(body).toMatch(/href="https:\/\/pay\.google\.com\/gp\/v\/save\/[^"]+"/);
  });

  it("explains an expired link and offers a new one for the same email", async () => {
    const { email } = await customer();
    const asked = Date.now();
    const { cookie } = await followLink(await signInAs(email));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(asked + 16 * 60_000);
    const res = await open(PAGE, withCookie(cookie));
    const body = await res.text();
    expect(body).toContain("This link has expired");
    expect(body).toContain("Links work for 15 minutes");
    expect(body).toContain(`value="${email}"`);
    expect(res.headers.get("set-cookie")).toMatch(/^passlite_customer=; Max-Age=0; Path=\/my-passes/);
  });

  it("says a tampered link no longer works", async () => {
    const res = await open(PAGE, withCookie("passlite_customer=eyJhbGciOiJIUzI1NiJ9.e30.x"));
    expect(await res.text()).toContain("This link is not valid");
  });

  it("signs out everywhere from the page", async () => {
    const { email } = await customer();
    const token = await signInAs(email);
    const { cookie } = await followLink(token);
    const out = await open(`${PAGE}/logout-everywhere`, { method: "POST", headers: { cookie } });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/my-passes?signed-out");
    expect(out.headers.get("set-cookie")).toMatch(/^passlite_customer=; Max-Age=0/);
    expect((await customerPassesWith(token)).status).toBe(401);
    expect(await (await open(PAGE, withCookie(cookie))).text()).toContain("This link was signed out");
  });
});
