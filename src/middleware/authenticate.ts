import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import { touchApiKey } from "../db/api-keys";
import { resolvePrincipal } from "../domain/auth/principal";
import type { TokenConfig } from "../domain/auth/tokens";
import { ApiError } from "../lib/errors";
import type { AppEnv, Permission } from "../types";

// last_used_at is a hint for the dashboard; writing it on every request would cost a D1 write per call.
const TOUCH_INTERVAL_MS = 60_000;

export function tokenConfig(config: Config): TokenConfig {
  return { secret: config.JWT_SECRET, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS };
}

/** `Authorization: Bearer <token>` → the token. */
export const bearerToken = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];

/**
 * Resolves the caller from `X-API-Key` or `Authorization: Bearer` into `c.var.principal`, and
 * opens its business's shard as `c.var.tenant`: from here on every query goes to that shard.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const { apiKeyLastUsedAt, ...principal } = await resolvePrincipal(c.var.data.control, tokenConfig(c.var.config), {
    apiKey: c.req.header("x-api-key"),
    bearerToken: bearerToken(c.req.header("authorization")),
    requestedMode: c.req.header("x-passlite-mode"),
  });
  c.set("principal", principal);
  c.set("tenant", c.var.data.tenant(principal.shard));

  if (principal.apiKeyId) {
    const now = new Date();
    const stale = !apiKeyLastUsedAt || now.getTime() - Date.parse(apiKeyLastUsedAt) > TOUCH_INTERVAL_MS;
    if (stale) c.executionCtx.waitUntil(touchApiKey(c.var.data.control, principal.apiKeyId, now.toISOString()).then(() => undefined));
  }
  await next();
});

/** Paths under `/businesses/{business_id}` are for that business's credentials only. */
export const requireBusinessAccess = createMiddleware<AppEnv>(async (c, next) => {
  const businessId = c.req.param("business_id");
  if (businessId && businessId !== c.var.principal.businessId) {
    throw new ApiError("forbidden", "These credentials do not grant access to this business");
  }
  await next();
});

export function requirePermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.principal.permissions.has(permission)) {
      const who = c.var.principal.kind === "api_key" ? "This API key" : `The ${c.var.principal.role} role`;
      throw new ApiError("forbidden", `${who} does not have the ${permission} permission`);
    }
    await next();
  });
}
