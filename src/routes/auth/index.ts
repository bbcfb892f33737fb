import { createRoute } from "@hono/zod-openapi";
import { acceptInvite, logIn, logOut, refreshSession, signUp } from "../../domain/auth/accounts";
import { tokenConfig } from "../../domain/auth/tokens";
import { createRouter } from "../../lib/create-app";
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
  description: "With email and password; answers an access token and a refresh token.",
  request: { body: jsonBody(LoginBody) },
  responses: { 200: jsonResponse(SessionSchema, "Signed in"), ...errorResponses(400, 401, 403, 422) },
});

const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags,
  summary: "Refresh the tokens",
  description: "Exchange a refresh token for a new token pair; the old refresh token is spent.",
  request: { body: jsonBody(RefreshBody) },
  responses: { 200: jsonResponse(SessionSchema, "New token pair"), ...errorResponses(400, 401, 422) },
});

const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  tags,
  summary: "Sign out",
  description: "Revoke a refresh token.",
  request: { body: jsonBody(RefreshBody) },
  responses: { 204: { description: "Signed out" }, ...errorResponses(400, 422) },
});

const acceptInvitation = createRoute({
  method: "post",
  path: "/auth/accept-invite",
  tags,
  summary: "Accept an invitation",
  description: "Join a business; creates the account when the email has none.",
  request: { body: jsonBody(AcceptInviteBody) },
  responses: { 200: jsonResponse(SessionSchema, "Member of the business and signed in"), ...errorResponses(400, 401, 404, 422) },
});

export const authRoutes = createRouter()
  .openapi(signup, async (c) =>
    c.json(await signUp(c.var.data.control, tokenConfig(c.var.config), c.var.config.D1_SHARDS, c.req.valid("json")), 201),
  )
  .openapi(login, async (c) => c.json(await logIn(c.var.data.control, tokenConfig(c.var.config), c.req.valid("json")), 200))
  .openapi(refresh, async (c) =>
    c.json(await refreshSession(c.var.data.control, tokenConfig(c.var.config), c.req.valid("json").refresh_token), 200),
  )
  .openapi(logout, async (c) => {
    await logOut(c.var.data.control, c.req.valid("json").refresh_token);
    return c.body(null, 204);
  })
  .openapi(acceptInvitation, async (c) =>
    c.json(await acceptInvite(c.var.data.control, c.var.guards, tokenConfig(c.var.config), c.req.valid("json")), 200),
  );
