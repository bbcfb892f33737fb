import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../types";
import { renderReferencePage } from "./reference-page";

const DOCUMENT_INFO = {
  openapi: "3.1.0",
  info: {
    title: "PassLite API",
    version: "1.0.0",
    description:
      'Create, issue and manage Apple Wallet and Google Wallet passes. Authenticate with `X-API-Key` (Pro plan) or a dashboard `Authorization: Bearer` token. Errors use `{error: {code, message, status}}`; plan limits answer 402 `{error: "pro_feature", feature, plan, message}`. POST and PATCH accept `Idempotency-Key` (24 h, scoped to the credential). Requests are limited per credential (60/min for API keys) with `X-RateLimit-*` headers.',
  },
};

/**
 * Publishes the OpenAPI document derived from the route schemas of the whole app (the API
 * under /api/v1, and the public pass links and images), and a readable page of it.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", { type: "apiKey", in: "header", name: "X-API-Key" });
  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", { type: "apiKey", in: "header", name: "X-Admin-Token" });
  const config = (origin: string) => ({ ...DOCUMENT_INFO, servers: [{ url: origin }] });
  app.doc31("/api/v1/openapi.json", (c) => config(c.var.config.API_ORIGIN));
  app.get("/docs", (c) => c.html(renderReferencePage(app.getOpenAPI31Document(config(c.var.config.API_ORIGIN)) as never)));
}
