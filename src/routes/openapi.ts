import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { authenticate, requireBusinessAccess, requirePermission } from "../middleware/authenticate";
import { guard } from "../middleware/guard";
import type { AppEnv, Permission } from "../types";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "Pass with identifier pass_xyz does not exist." }),
      status: z.number().int().openapi({ example: 404 }),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

export const PlanLimitSchema = z
  .object({
    error: z.literal("pro_feature"),
    feature: z.string().openapi({ example: "api_access" }),
    plan: z.string().openapi({ example: "free" }),
    message: z.string().openapi({ example: "API access is a PRO feature. Upgrade to unlock." }),
  })
  .openapi("PlanLimit");

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid or missing request parameters",
  401: "Missing or invalid authentication",
  403: "Valid credentials but insufficient permissions",
  404: "Resource does not exist",
  409: "Conflict with the current state (duplicate, or a request still in progress)",
  422: "Request failed validation; `fields` lists each problem",
  429: "Rate limited; see Retry-After",
};

export function errorResponses(...statuses: number[]) {
  const responses: Record<
    number,
    { description: string; content: Record<string, { schema: typeof ErrorSchema | typeof PlanLimitSchema }> }
  > = {};
  for (const status of statuses) {
    const schema = status === 402 ? PlanLimitSchema : ErrorSchema;
    const description = status === 402 ? "The plan does not include this feature or limit" : (ERROR_DESCRIPTIONS[status] ?? "Error");
    responses[status] = { description, content: { "application/json": { schema } } };
  }
  return responses;
}

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const BusinessParams = z.object({
  business_id: z.string().openapi({ param: { name: "business_id", in: "path" }, example: "biz_01jd5x3m7k0000000000000000" }),
});

const SECURITY = [{ ApiKey: [] }, { Bearer: [] }];

/** A route any authenticated caller may use; it is rate limited and honours Idempotency-Key. */
export function authenticatedRoute<R extends RouteConfig>(config: R & { permission?: Permission }) {
  const { permission, ...route } = config;
  const middleware: MiddlewareHandler<AppEnv>[] = [authenticate, guard];
  if (permission) middleware.push(requirePermission(permission));
  return createRoute({
    ...route,
    security: SECURITY,
    middleware,
    responses: { ...errorResponses(401, 402, 403, 429), ...route.responses },
  } as unknown as R);
}

/** A route under `/businesses/{business_id}`: the caller must belong to that business and hold `permission`. */
export function businessRoute<R extends RouteConfig>(config: R & { permission: Permission }) {
  const { permission, ...route } = config;
  return createRoute({
    ...route,
    security: SECURITY,
    middleware: [authenticate, guard, requireBusinessAccess, requirePermission(permission)] as MiddlewareHandler<AppEnv>[],
    responses: { ...errorResponses(401, 402, 403, 429), ...route.responses },
  } as unknown as R);
}
