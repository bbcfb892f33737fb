import { z } from "@hono/zod-openapi";
import { applyAction, type PassAction } from "../../domain/passes/actions";
import { presentPass } from "../../domain/passes/present";
import { createRouter } from "../../lib/create-app";
import type { Permission } from "../../types";
import { businessRoute, errorResponses, jsonResponse } from "../openapi";
import { PassParams } from "./index";
import { PassSchema } from "./schemas";
import { syncWallets } from "./wallet-sync";

const DecimalAmount = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "amount must be a positive decimal number such as 15.00")
  .openapi({ example: "15.00", description: "Major units, at most the currency's decimals" });

interface ActionRoute {
  method: "post" | "delete";
  suffix: string;
  permission: Permission;
  summary: string;
  query?: z.ZodObject;
  toAction: (query: Record<string, unknown>) => PassAction;
  errors: number[];
}

/** Every pass action, as a table: each becomes one route that returns the updated pass. */
const ACTIONS: ActionRoute[] = [
  {
    method: "post",
    suffix: "/stamp",
    permission: "passes:write",
    summary: "Add stamps (loyalty)",
    query: z.object({ count: z.coerce.number().int().min(1).max(100).default(1) }),
    toAction: (q) => ({ kind: "stamp", count: q.count as number }),
    errors: [400, 404, 409, 422],
  },
  {
    method: "post",
    suffix: "/points",
    permission: "passes:write",
    summary: "Add points (loyalty, membership)",
    query: z.object({ points: z.coerce.number().int().min(1).max(1_000_000_000) }),
    toAction: (q) => ({ kind: "points", points: q.points as number }),
    errors: [400, 404, 409, 422],
  },
  {
    method: "post",
    suffix: "/charge",
    permission: "passes:write",
    summary: "Deduct from the balance (gift cards); 400 if the balance is insufficient, nothing deducted",
    query: z.object({ amount: DecimalAmount }),
    toAction: (q) => ({ kind: "charge", amount: q.amount as string }),
    errors: [400, 404, 409, 422],
  },
  {
    method: "post",
    suffix: "/topup",
    permission: "passes:write",
    summary: "Add to the balance (gift cards)",
    query: z.object({ amount: DecimalAmount }),
    toAction: (q) => ({ kind: "topup", amount: q.amount as string }),
    errors: [400, 404, 409, 422],
  },
  {
    method: "post",
    suffix: "/checkin",
    permission: "scan",
    summary: "Check in: an event ticket becomes checked_in; other passes record the visit",
    toAction: () => ({ kind: "checkin" }),
    errors: [404, 409],
  },
  {
    method: "post",
    suffix: "/redeem",
    permission: "passes:write",
    summary: "Redeem the pass (final)",
    toAction: () => ({ kind: "redeem" }),
    errors: [404, 409],
  },
  {
    method: "delete",
    suffix: "",
    permission: "passes:write",
    summary: "Void the pass (kept, and can be reactivated)",
    toAction: () => ({ kind: "void" }),
    errors: [404, 409],
  },
  {
    method: "post",
    suffix: "/reactivate",
    permission: "passes:write",
    summary: "Reactivate a voided or redeemed pass",
    toAction: () => ({ kind: "reactivate" }),
    errors: [404, 409],
  },
];

export const passActionRoutes = createRouter();
for (const action of ACTIONS) {
  const route = businessRoute({
    method: action.method,
    path: `/businesses/{business_id}/passes/{identifier}${action.suffix}`,
    tags: ["Pass actions"],
    permission: action.permission,
    summary: action.summary,
    request: { params: PassParams, ...(action.query ? { query: action.query } : {}) },
    responses: { 200: jsonResponse(PassSchema, "The updated pass"), ...errorResponses(...action.errors) },
  });
  passActionRoutes.openapi(route, async (c) => {
    const { identifier } = c.req.valid("param");
    const query = action.query ? (c.req.valid("query" as never) as Record<string, unknown>) : {};
    const row = await applyAction(c.var.tenant, c.var.principal, identifier, action.toAction(query));
    syncWallets(c, [row]);
    return c.json(presentPass(row, c.var.config.API_ORIGIN), 200);
  });
}
