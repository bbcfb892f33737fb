import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { admitCaller } from "../middleware/admit";
import { requireBusinessAccess, requirePermission } from "../middleware/authorize";
import type { AppEnv, Permission } from "../types";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      status: z.number().int(),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .openapi({ description: "422 only: each problem" }),
    }),
  })
  .openapi("Error", { example: { error: { code: "not_found", message: "Pass with identifier pass_xyz does not exist.", status: 404 } } });

const PLAN_LIMIT_EXAMPLE = {
  error: "pro_feature",
  feature: "api_access",
  plan: "free",
  message: "API access is a PRO feature. Upgrade to unlock.",
} as const;

export const PlanLimitSchema = z
  .object({ error: z.literal("pro_feature"), feature: z.string(), plan: z.string(), message: z.string() })
  .openapi("PlanLimit", { example: PLAN_LIMIT_EXAMPLE });

/** Each status's description and an example body, in the reference's words where it has them. */
const ERRORS = {
  400: {
    description: "Invalid or missing request parameters, or a body that is not JSON",
    example: { error: { code: "bad_request", message: "Malformed JSON in request body", status: 400 } },
  },
  401: {
    description: "Missing or invalid authentication",
    example: { error: { code: "unauthorized", message: "Invalid API key", status: 401 } },
  },
  402: { description: "The plan does not include this feature or limit", example: PLAN_LIMIT_EXAMPLE },
  403: {
    description: "Valid credentials but insufficient permissions",
    example: { error: { code: "forbidden", message: "These credentials do not grant access to this business", status: 403 } },
  },
  404: {
    description: "Resource does not exist",
    example: { error: { code: "not_found", message: "Pass with identifier pass_xyz does not exist.", status: 404 } },
  },
  409: {
    description: "Conflict with the current state (duplicate, or a request still in progress)",
    example: { error: { code: "conflict", message: "external_id cust_9821 already exists", status: 409 } },
  },
  413: {
    description: "The body is too large: 1 MB for JSON, 5 MB on the bulk endpoints, 4 MB for an image",
    example: { error: { code: "payload_too_large", message: "Request bodies must be at most 1 MB", status: 413 } },
  },
  415: {
    description: "The body is not JSON where JSON is expected, or JSON in a charset other than UTF-8",
    example: {
      error: { code: "unsupported_media_type", message: "Content-Type must be application/json with UTF-8 (or no) charset", status: 415 },
    },
  },
  422: {
    description: "Request failed validation; `fields` lists each problem",
    example: {
      error: {
        code: "validation_error",
        message: "Request body failed validation",
        status: 422,
        fields: [{ path: "customer_email", message: "Invalid email address" }],
      },
    },
  },
  429: {
    description: "Rate limited; see `Retry-After`",
    example: { error: { code: "rate_limited", message: "Rate limit of 60 requests per minute exceeded. Retry in 12s.", status: 429 } },
  },
} satisfies Record<number, { description: string; example: object }>;

export type ErrorStatus = keyof typeof ERRORS;

export function errorResponses(...statuses: ErrorStatus[]) {
  const responses: Record<number, ReturnType<typeof jsonResponse>> = {};
  for (const status of statuses) {
    const { description, example } = ERRORS[status];
    responses[status] = jsonResponse(status === 402 ? PlanLimitSchema : ErrorSchema, description, example);
  }
  return responses;
}

/** A reference to a named schema, for documenting what a route validates item by item. */
export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

/** A JSON response; `example` shows this operation's own answer instead of the schema's. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string, example?: unknown) => ({
  description,
  content: { "application/json": { schema, ...(example === undefined ? {} : { example }) } },
});

/** The longest path segment a route takes (external ids are at most 200 characters, emails 254). */
const PATH_SEGMENT_MAX = 200;

/** A path parameter of at most `max` characters; a longer one is refused with 422 naming it. */
export const pathParam = (name: string, options: { max?: number; description?: string; example?: string } = {}) =>
  z
    .string()
    .min(1)
    .max(options.max ?? PATH_SEGMENT_MAX)
    .openapi({ param: { name, in: "path" }, description: options.description, example: options.example });

export const BusinessParams = z.object({ business_id: pathParam("business_id", { example: "biz_123" }) });

const SECURITY = [{ ApiKey: [] }, { Bearer: [] }];

/**
 * What admission may answer: no or a bad credential, a plan without API access, rate limited; and
 * on POST and PATCH, which honour Idempotency-Key, a malformed key (400), its request still
 * running (409) or its reuse with another request (422).
 */
function admissionResponses(method: RouteConfig["method"]) {
  const idempotent = method === "post" || method === "patch";
  return errorResponses(401, 402, 403, 429, ...(idempotent ? ([400, 409, 422] as const) : []));
}

/** A route any authenticated caller may use; it is rate limited and honours Idempotency-Key. */
export function authenticatedRoute<R extends RouteConfig>(config: R & { permission?: Permission }) {
  const { permission, ...route } = config;
  const middleware: MiddlewareHandler<AppEnv>[] = [admitCaller];
  if (permission) middleware.push(requirePermission(permission));
  return createRoute({
    ...route,
    security: SECURITY,
    middleware,
    responses: { ...admissionResponses(route.method), ...route.responses },
  } as unknown as R);
}

/** A route under `/businesses/{business_id}`: the caller must belong to that business and hold `permission`. */
export function businessRoute<R extends RouteConfig>(config: R & { permission: Permission }) {
  const { permission, ...route } = config;
  return createRoute({
    ...route,
    security: SECURITY,
    middleware: [admitCaller, requireBusinessAccess, requirePermission(permission)] as MiddlewareHandler<AppEnv>[],
    responses: { ...admissionResponses(route.method), ...route.responses },
  } as unknown as R);
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

/** The part of a generated document that app-wide responses are added to. */
interface DocumentPaths {
  paths?: Record<string, Partial<Record<(typeof METHODS)[number], { requestBody?: object; responses?: Record<string, object> }>>>;
}

/**
 * What the app-wide request rules (lib/create-app.ts) and the JSON body parser may answer on any
 * operation, documented where the rule applies: 422 for a control character in any query value,
 * and 400 (malformed JSON), 413 and 415 wherever there is a body. An operation's own wording wins.
 */
export function documentAppWideResponses<D extends DocumentPaths>(document: D): D {
  const response = (status: ErrorStatus) => {
    const { description, example } = ERRORS[status];
    return { description, content: { "application/json": { schema: schemaRef("Error"), example } } };
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const statuses: ErrorStatus[] = operation.requestBody ? [400, 413, 415, 422] : [422];
      const responses = { ...operation.responses };
      for (const status of statuses) responses[status] ??= response(status);
      operation.responses = responses;
    }
  }
  return document;
}
