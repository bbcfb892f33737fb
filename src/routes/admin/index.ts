import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { setBusinessPlan } from "../../domain/businesses";
import { PLAN_NAMES } from "../../domain/enums";
import { createRouter } from "../../lib/create-app";
import { timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import type { AppEnv } from "../../types";
import { BusinessSchema } from "../businesses/schemas";
import { BusinessParams, errorResponses, jsonBody, jsonResponse } from "../openapi";

/** Operator access: `X-Admin-Token` must equal the ADMIN_TOKEN secret (compared in constant time). */
const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.var.config.ADMIN_TOKEN;
  const given = c.req.header("x-admin-token") ?? "";
  if (!expected || !timingSafeEqual(given, expected)) throw new ApiError("unauthorized", "Invalid admin token");
  await next();
});

const setPlan = createRoute({
  method: "put",
  path: "/admin/businesses/{business_id}/plan",
  tags: ["Operator"],
  summary: "Set a business's plan",
  description: "Operator only (`X-Admin-Token`), until billing lands.",
  middleware: [requireAdminToken] as const,
  security: [{ AdminToken: [] }],
  request: {
    params: BusinessParams,
    body: jsonBody(z.object({ plan: z.enum(PLAN_NAMES) }).openapi("SetPlanRequest")),
  },
  responses: { 200: jsonResponse(BusinessSchema, "The business on its new plan"), ...errorResponses(401, 404, 422) },
});

export const adminRoutes = createRouter().openapi(setPlan, async (c) =>
  c.json(await setBusinessPlan(c.var.data.control, c.var.guards, c.req.valid("param").business_id, c.req.valid("json").plan), 200),
);
