import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import { logoutEverywhere, requestMagicLink } from "../../domain/customer-access/magic-link";
import { authenticateCustomer, customerPasses } from "../../domain/customer-access/passes";
import { CUSTOMER_TOKEN_TTL_SECONDS } from "../../domain/customer-access/token";
import { clientIp } from "../../lib/client-ip";
import { createRouter } from "../../lib/create-app";
import { base64Encode } from "../../lib/encoding";
import { randomBytes } from "../../lib/ids";
import type { AppEnv } from "../../types";
import { CheckInboxPage, PassesPage, RequestLinkPage } from "../../web/my-passes";
import { takeFrom } from "../customers";

const PATH = "/my-passes";
/**
 * The sign-in token, once it has left the address bar. The link `/my-passes?token=…` is answered
 * with this cookie and a redirect to `/my-passes`, so the token is gone from the URL before the
 * page exists: not in history, not in a Referer, not on screen — and it works without JavaScript.
 * HttpOnly (no script reads it), SameSite=Lax (sent when the link is opened from a mail client,
 * never on a cross-site POST), scoped to /my-passes and to the link's own 15 minutes.
 */
const COOKIE = "passlite_customer";
const MINUTES = CUSTOMER_TOKEN_TTL_SECONDS / 60;
const INTRO =
  "Lost your phone, or got a new one? Enter the email you gave when you got your pass, and we will email you a link to all of them.";

const Email = z.email().max(254);

function cookieOptions(c: Context<AppEnv>) {
  return { path: PATH, httpOnly: true, sameSite: "Lax" as const, secure: new URL(c.req.url).protocol === "https:" };
}

/**
 * A page under a strict policy: nothing loads from anywhere, no script runs, the one stylesheet
 * is inline with this response's nonce, and forms post only back here.
 */
function page(c: Context<AppEnv>, render: (nonce: string) => JSX.Element, status: 200 | 422 = 200) {
  const nonce = base64Encode(randomBytes(16));
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  );
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Content-Type-Options", "nosniff");
  return c.html(html`<!doctype html>${render(nonce)}`, status);
}

/** The email form: as the first page (with the introduction), or under a heading saying why a link did not work. */
const requestLink = (
  c: Context<AppEnv>,
  options: { heading?: string; notice?: { kind: "error" | "info"; text: string }; email?: string | null } = {},
  status: 200 | 422 = 200,
) =>
  page(
    c,
    (nonce) => (
      <RequestLinkPage
        nonce={nonce}
        heading={options.heading ?? "Find your passes"}
        intro={options.heading ? undefined : INTRO}
        notice={options.notice}
        email={options.email}
      />
    ),
    status,
  );

export const myPassesRoutes = createRouter()
  .get(PATH, async (c) => {
    const linkToken = c.req.query("token");
    if (linkToken) {
      setCookie(c, COOKIE, linkToken, { ...cookieOptions(c), maxAge: CUSTOMER_TOKEN_TTL_SECONDS });
      c.header("Cache-Control", "no-store");
      c.header("Referrer-Policy", "no-referrer");
      return c.redirect(PATH, 303);
    }
    if (c.req.query("sent") !== undefined) return page(c, (nonce) => <CheckInboxPage nonce={nonce} minutes={MINUTES} />);
    if (c.req.query("signed-out") !== undefined)
      return requestLink(c, {
        notice: { kind: "info", text: "You are signed out on every device. Every link sent before now no longer works." },
      });

    const token = getCookie(c, COOKIE);
    if (!token) return requestLink(c);
    const auth = await authenticateCustomer(c.var.data, c.var.config.JWT_SECRET, token);
    if (!auth.ok) {
      deleteCookie(c, COOKIE, cookieOptions(c));
      if (auth.reason === "expired") {
        const text = `Links work for ${MINUTES} minutes, and this one has expired. Ask for a new one below.`;
        return requestLink(c, { heading: "This link has expired", notice: { kind: "error", text }, email: auth.email });
      }
      const text =
        auth.reason === "revoked"
          ? "This link was signed out. Ask for a new one below."
          : "This link is not valid. Ask for a new one below.";
      return requestLink(c, { heading: "This link no longer works", notice: { kind: "error", text } });
    }
    const passes = await customerPasses(c.var.data, c.var.config, auth.session);
    return page(c, (nonce) => <PassesPage nonce={nonce} email={auth.session.email} passes={passes} />);
  })
  .post(PATH, async (c) => {
    const form = await c.req.parseBody();
    const email = Email.safeParse(typeof form.email === "string" ? form.email.trim() : "");
    if (!email.success) {
      const typed = typeof form.email === "string" ? form.email.slice(0, 254) : "";
      return requestLink(c, { notice: { kind: "error", text: "Enter a whole email address, like name@example.com." }, email: typed }, 422);
    }
    await requestMagicLink(c.var.data.controlShard(), takeFrom(c.env), { email: email.data, clientIp: clientIp(c) ?? "unknown" });
    return c.redirect(`${PATH}?sent`, 303);
  })
  .post(`${PATH}/logout-everywhere`, async (c) => {
    const token = getCookie(c, COOKIE);
    const auth = token ? await authenticateCustomer(c.var.data, c.var.config.JWT_SECRET, token) : undefined;
    if (auth?.ok) await logoutEverywhere(c.var.data.controlShard(), auth.session.emailHash);
    deleteCookie(c, COOKIE, cookieOptions(c));
    return c.redirect(`${PATH}?signed-out`, 303);
  });
