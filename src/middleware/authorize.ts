import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/errors";
import type { AppEnv, Permission } from "../types";

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
