import { createRoute } from "@hono/zod-openapi";
import { acceptInvite, logIn, logOut, refreshSession, signUp } from "../../domain/auth/accounts";
import type { SignedIn } from "../../domain/auth/session";
import { tokenConfig } from "../../domain/auth/tokens";
import { clientIp } from "../../lib/client-ip";
import { createRouter } from "../../lib/create-app";
import { signedInUser } from "../../middleware/admit";
import { errorResponses, jsonBody, jsonResponse } from "../openapi";
import { AcceptInviteBody, LoginBody, RefreshBody, SessionSchema, SignupBody } from "./schemas";

const tags = ["Authentication"];

const signup = createRoute({
  method: "post",
  path: "/auth/signup",
  tags,
  summary: "Sign up",
  description: "Create an account and its business (Free plan).",
  request: { body: jsonBody(SignupBody) },
  responses: { 201: jsonResponse(SessionSchema, "Signed up and signed in"), ...errorResponses(400, 409, 422) },
});

const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags,
  summary: "Sign in",
  description:
    "With email and password; answers an access token and a refresh token. Guessing is slowed: after 5 wrong passwords for one account (or 20 failed attempts from one IP) each further try must wait twice as long as the last (1 s, 2 s, 4 s … up to 15 minutes); until then every try — even with the right password — answers 429 with `Retry-After`. Failures are forgotten after a day without attempts.",
  request: { body: jsonBody(LoginBody) },
  responses: { 200: jsonResponse(SessionSchema, "Signed in"), ...errorResponses(400, 401, 403, 422, 429) },
});

const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags,
  summary: "Refresh the tokens",
  description:
    "Exchange a refresh token for a new token pair; the old refresh token is spent. Failed attempts count against the client's IP as on `/auth/login` (429 with `Retry-After`).",
  request: { body: jsonBody(RefreshBody) },
  responses: { 200: jsonResponse(SessionSchema, "New token pair"), ...errorResponses(400, 401, 422, 429) },
});

const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  tags,
  summary: "Sign out",
  description:
    "Ends the sign-in the refresh token belongs to: its refresh tokens are revoked and its access tokens stop working on their next request, not when they expire.",
  request: { body: jsonBody(RefreshBody) },
  responses: { 204: { description: "Signed out" }, ...errorResponses(400, 422) },
});

const acceptInvitation = createRoute({
  method: "post",
  path: "/auth/accept-invite",
  tags,
  summary: "Accept an invitation",
  description:
    "Join the business that invited this email. When the email has an account, send the request signed in as it (`Authorization: Bearer`; otherwise 401); when it has none, send a `password` for the new account. Expired, revoked, accepted or unknown tokens are 404; an invitation for another email is 403. Failed attempts count against the client's IP as on `/auth/login`.",
  request: { body: jsonBody(AcceptInviteBody) },
  responses: { 200: jsonResponse(SessionSchema, "Member of the business and signed in"), ...errorResponses(400, 401, 403, 404, 422, 429) },
});

/** The API's session body: the token pair as OAuth clients expect it, and who signed in where. */
const presentSession = (session: SignedIn) => ({
  access_token: session.accessToken,
  refresh_token: session.refreshToken,
  token_type: "Bearer" as const,
  expires_in: session.expiresInSeconds,
  user: session.user,
  business: session.business,
});

export const authRoutes = createRouter()
  .openapi(signup, async (c) =>
    c.json(presentSession(await signUp(c.var.data.control, tokenConfig(c.var.config), c.var.config.D1_SHARDS, c.req.valid("json"))), 201),
  )
  .openapi(login, async (c) =>
    c.json(
      presentSession(await logIn(c.var.data.control, c.var.guesses, tokenConfig(c.var.config), c.req.valid("json"), clientIp(c))),
      200,
    ),
  )
  .openapi(refresh, async (c) => {
    const { data, guesses, config } = c.var;
    return c.json(
      presentSession(await refreshSession(data.control, guesses, tokenConfig(config), c.req.valid("json").refresh_token, clientIp(c))),
      200,
    );
  })
  .openapi(logout, async (c) => {
    await logOut(c.var.data.control, c.var.guards, tokenConfig(c.var.config), c.req.valid("json").refresh_token);
    return c.body(null, 204);
  })
  .openapi(acceptInvitation, async (c) => {
    const { data, guards, guesses, config } = c.var;
    const input = { ...c.req.valid("json"), signedIn: await signedInUser(c) };
    return c.json(presentSession(await acceptInvite(data.control, guards, guesses, tokenConfig(config), input, clientIp(c))), 200);
  });
