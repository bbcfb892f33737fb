import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { logoutEverywhere, requestMagicLink, type Take } from "../../domain/customer-access/magic-link";
import { authenticateCustomer, type CustomerSession, customerPasses } from "../../domain/customer-access/passes";
import { throttleFor } from "../../durable/throttle";
import { clientIp } from "../../lib/client-ip";
import { createRouter } from "../../lib/create-app";
import { ApiError } from "../../lib/errors";
import type { AppEnv } from "../../types";
import { errorResponses, jsonBody, jsonResponse } from "../openapi";
import { CustomerPasses, CustomerTokenQuery, LoggedOut, MagicLinkBody, MagicLinkSent } from "./schemas";

const tags = ["Customer access"];
const BEARER = [{ Bearer: [] }];

/** The Throttle Durable Object, one instance per name. */
export const takeFrom =
  (env: AppEnv["Bindings"]): Take =>
  (name, limit, windowMs) =>
    throttleFor(env.THROTTLE, name).take(limit, windowMs);

const UNAUTHORIZED = {
  missing: "A sign-in token is required: ?token= or Authorization: Bearer",
  expired: "This sign-in link has expired; ask for a new one",
  invalid: "Invalid sign-in token",
  revoked: "This sign-in link no longer works: its holder signed out everywhere; ask for a new one",
} as const;

/** The customer behind `?token=` or `Authorization: Bearer`, or a 401 saying why not. */
async function customerSession(c: Context<AppEnv>, queryToken: string | undefined): Promise<CustomerSession> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const token = queryToken ?? bearer;
  if (!token) throw new ApiError("unauthorized", UNAUTHORIZED.missing);
  const result = await authenticateCustomer(c.var.data, c.var.config.JWT_SECRET, token);
  if (!result.ok) throw new ApiError("unauthorized", UNAUTHORIZED[result.reason]);
  return result.session;
}

const magicLink = createRoute({
  method: "post",
  path: "/public/customer/magic-link",
  tags,
  summary: "Send a magic link",
  description:
    'Emails a sign-in link to `{APP_ORIGIN}/my-passes?token=…`, valid for 15 minutes, when the address holds live passes with any business. Always answers `{"sent": true}`, in about the same time, whether or not it does — and past the limits (5 links an hour per email, 20 requests an hour per client address), when nothing is sent.',
  request: { body: jsonBody(MagicLinkBody) },
  responses: { 200: jsonResponse(MagicLinkSent, "Accepted (whether or not an email goes out)"), ...errorResponses(400, 422) },
});

const passes = createRoute({
  method: "get",
  path: "/public/customer/passes",
  tags,
  summary: "Get customer passes",
  description:
    "Every live pass the signed-in email holds, across businesses, with stamps, points and balance, and the links to add each to a wallet again.",
  security: BEARER,
  request: { query: CustomerTokenQuery },
  responses: { 200: jsonResponse(CustomerPasses, "The customer's passes"), ...errorResponses(401) },
});

const logout = createRoute({
  method: "post",
  path: "/public/customer/logout-everywhere",
  tags,
  summary: "Sign out everywhere",
  description: "Every sign-in link sent to this email so far stops working, including the one used for this call.",
  security: BEARER,
  request: { query: CustomerTokenQuery },
  responses: { 200: jsonResponse(LoggedOut, "Signed out"), ...errorResponses(401) },
});

export const customerRoutes = createRouter()
  .openapi(magicLink, async (c) => {
    await requestMagicLink(c.var.data.controlShard(), takeFrom(c.env), {
      email: c.req.valid("json").email,
      clientIp: clientIp(c) ?? "unknown",
    });
    return c.json({ sent: true as const }, 200);
  })
  .openapi(passes, async (c) => {
    const session = await customerSession(c, c.req.valid("query").token);
    c.header("Cache-Control", "no-store");
    const list = await customerPasses(c.var.data, c.var.config, session);
    return c.json({ email: session.email, expires_at: new Date(session.expiresAt * 1000).toISOString(), passes: list }, 200);
  })
  .openapi(logout, async (c) => {
    const session = await customerSession(c, c.req.valid("query").token);
    await logoutEverywhere(c.var.data.controlShard(), session.emailHash);
    return c.json({ logged_out: true as const }, 200);
  });
