import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../types";
import { documentAppWideResponses } from "../openapi";

export const OPENAPI_PATH = "/api/v1/openapi.json";
/** Scalar's standalone browser bundle, a Workers Static Asset (wrangler.toml `[assets]`, copied by `[build]`). */
export const SCALAR_SCRIPT_PATH = "/docs/scalar.js";

const DOCUMENT_INFO = {
  openapi: "3.1.0",
  info: {
    title: "PassLite API",
    version: "1.0.0",
    // Markdown: Scalar renders it on the introduction.
    description: [
      "Create, issue and manage Apple Wallet and Google Wallet passes.",
      "**Authentication.** Send an API key as `X-API-Key: pb_live_…` (or `pb_test_…` for test mode; Pro plan), or a dashboard access token from `/auth/login` as `Authorization: Bearer <token>`.",
      '**Errors** are `{"error": {"code", "message", "status"}}`; a 422 adds `fields`, one per problem. Plan limits answer 402 with `{"error": "pro_feature", "feature", "plan", "message"}`.',
      "**Idempotency.** POST and PATCH accept an `Idempotency-Key` header: for 24 hours a repeat returns the original response, scoped to the credential.",
      "**Rate limits.** Requests are limited per credential (60 a minute for an API key by default); every authenticated response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`, and a 429 adds `Retry-After`.",
    ].join("\n\n"),
  },
};

// Everything the page loads comes from this Worker: the script by nonce, the document and
// "Test Request" calls from the same origin. Scalar renders inline style attributes, which
// only 'unsafe-inline' allows.
const docsHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

const reference = Scalar<AppEnv>((c) => ({
  url: OPENAPI_PATH,
  cdn: SCALAR_SCRIPT_PATH,
  nonce: c.get("secureHeadersNonce"),
  pageTitle: "PassLite API reference",
  // Fields in the order the schemas (and the PassLite API reference) list them, not A–Z.
  orderSchemaPropertiesBy: "preserve",
  // Nothing may reach Scalar's services: no web fonts, telemetry, AI agent or MCP links.
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
}));

/**
 * Publishes the OpenAPI document derived from the route schemas of the whole app (the API
 * under /api/v1, and the public pass links and images), and Scalar's reference of it at /docs.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", { type: "apiKey", in: "header", name: "X-API-Key" });
  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", { type: "apiKey", in: "header", name: "X-Admin-Token" });
  app.get(OPENAPI_PATH, (c) =>
    c.json(documentAppWideResponses(app.getOpenAPI31Document({ ...DOCUMENT_INFO, servers: [{ url: c.var.config.API_ORIGIN }] }))),
  );
  app.get("/docs", docsHeaders, reference);
}
