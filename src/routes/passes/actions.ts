import { z } from "@hono/zod-openapi";
import { applyAction, type PassAction } from "../../domain/passes/actions";
import { AMOUNT_MAX_MINOR, COUNTER_MAX, POINTS_PER_ACTION_MAX, STAMPS_PER_ACTION_MAX } from "../../domain/passes/limits";
import { type PassView, presentPass } from "../../domain/passes/present";
import { createRouter } from "../../lib/create-app";
import type { Permission } from "../../types";
import { businessRoute, type ErrorStatus, errorResponses, jsonResponse } from "../openapi";
import { giftCardExample, PASS_EXAMPLE, passExample } from "./examples";
import { PassParams } from "./index";
import { PassSchema } from "./schemas";

const DecimalAmount = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "amount must be a positive decimal number such as 15.00")
  .openapi({
    example: "15.00",
    description: `Major units, at most the currency's decimals and ${AMOUNT_MAX_MINOR} minor units (10,000,000.00 in a two-decimal currency)`,
  });

interface ActionRoute<Query extends z.ZodObject> {
  method: "post" | "delete";
  suffix: string;
  permission: Permission;
  summary: string;
  description: string;
  /** The action's query parameters; actions without any take an empty object. */
  query: Query;
  toAction: (query: z.infer<Query>) => PassAction;
  errors: ErrorStatus[];
  /** The updated pass, as the reference shows it after this action. */
  example: PassView;
}

const NO_QUERY = z.object({});

export const passActionRoutes = createRouter();

/** Mounts one pass action as a route that returns the updated pass; the query's type follows its schema. */
function mountAction<Query extends z.ZodObject>(action: ActionRoute<Query>) {
  // The route sees a plain object schema (its validator answers 422 in the envelope); the action
  // reads the validated query back through its own schema, which types it without a cast.
  const query: z.ZodObject = action.query;
  const route = businessRoute({
    method: action.method,
    path: `/businesses/{business_id}/passes/{identifier}${action.suffix}`,
    tags: ["Pass actions"],
    permission: action.permission,
    summary: action.summary,
    description: action.description,
    request: { params: PassParams, query },
    responses: { 200: jsonResponse(PassSchema, "The updated pass", action.example), ...errorResponses(...action.errors) },
  });
  passActionRoutes.openapi(route, async (c) => {
    const { identifier } = c.req.valid("param");
    const row = await applyAction(c.var.tenant, c.var.principal, identifier, action.toAction(action.query.parse(c.req.valid("query"))));
    return c.json(presentPass(row, c.var.config.API_ORIGIN), 200);
  });
}

/** Every pass action, as a table: each becomes one route. */
mountAction({
  method: "post",
  suffix: "/stamp",
  permission: "passes:write",
  summary: "Add stamps",
  description: `Loyalty cards; \`count\` defaults to 1. A pass holds at most ${COUNTER_MAX.stamps} stamps: past that, 422 and nothing changes.`,
  query: z.object({ count: z.coerce.number().int().min(1).max(STAMPS_PER_ACTION_MAX).default(1) }),
  toAction: (q) => ({ kind: "stamp", count: q.count }),
  errors: [400, 404, 409, 422],
  example: passExample({ stamps: 4 }),
});
mountAction({
  method: "post",
  suffix: "/points",
  permission: "passes:write",
  summary: "Add points",
  description: `Loyalty and membership passes. A pass holds at most ${COUNTER_MAX.points} points: past that, 422 and nothing changes.`,
  query: z.object({ points: z.coerce.number().int().min(1).max(POINTS_PER_ACTION_MAX) }),
  toAction: (q) => ({ kind: "points", points: q.points }),
  errors: [400, 404, 409, 422],
  example: passExample({ points: 200 }),
});
mountAction({
  method: "post",
  suffix: "/charge",
  permission: "passes:write",
  summary: "Charge the balance",
  description: "Deducts `amount` from a gift card's balance. Answers 400 if the balance is insufficient, and nothing is deducted.",
  query: z.object({ amount: DecimalAmount }),
  toAction: (q) => ({ kind: "charge", amount: q.amount }),
  errors: [400, 404, 409, 422],
  example: giftCardExample(85),
});
mountAction({
  method: "post",
  suffix: "/topup",
  permission: "passes:write",
  summary: "Top up the balance",
  description: `Adds \`amount\` to a gift card's balance. A balance is at most ${COUNTER_MAX.balance} minor units (10,000,000,000.00 in a two-decimal currency): past that, 422 and nothing changes.`,
  query: z.object({ amount: DecimalAmount }),
  toAction: (q) => ({ kind: "topup", amount: q.amount }),
  errors: [400, 404, 409, 422],
  example: giftCardExample(105),
});
mountAction({
  method: "post",
  suffix: "/checkin",
  permission: "scan",
  summary: "Check in",
  description:
    "An event ticket becomes `checked_in`; other passes record the visit (with a stamp on an auto-stamp template). The same rules and record as a scanned check-in (`POST …/scan`): the template's cooldown answers 429 with `Already checked in at 14:30` or `Try again in 3m 20s` and `Retry-After`.",
  query: NO_QUERY,
  toAction: () => ({ kind: "checkin" }),
  errors: [404, 409, 429],
  example: passExample({ status: "checked_in", checked_in_at: "2026-04-07T14:00:00.000Z" }),
});
mountAction({
  method: "post",
  suffix: "/redeem",
  permission: "passes:write",
  summary: "Redeem a pass",
  description: "Final, unless the pass is reactivated.",
  query: NO_QUERY,
  toAction: () => ({ kind: "redeem" }),
  errors: [404, 409],
  example: passExample({ status: "redeemed", redeemed_at: "2026-04-07T15:00:00.000Z" }),
});
mountAction({
  method: "delete",
  suffix: "",
  permission: "passes:write",
  summary: "Void a pass",
  description: "Marks the pass as voided. It is not deleted and can be reactivated.",
  query: NO_QUERY,
  toAction: () => ({ kind: "void" }),
  errors: [404, 409],
  example: passExample({ status: "voided", voided_at: "2026-04-07T16:00:00.000Z" }),
});
mountAction({
  method: "post",
  suffix: "/reactivate",
  permission: "passes:write",
  summary: "Reactivate a pass",
  description: "A voided or redeemed pass becomes active again.",
  query: NO_QUERY,
  toAction: () => ({ kind: "reactivate" }),
  errors: [404, 409],
  example: passExample({ voided_at: "2026-04-07T16:00:00.000Z", reactivated_at: "2026-04-07T17:00:00.000Z" }),
});
mountAction({
  method: "post",
  suffix: "/rotate-barcode",
  permission: "passes:write",
  summary: "Re-issue a pass's barcode",
  description:
    "A new signing key version for this pass alone: on a signed template its barcode changes, the old one (a screenshot, a leaked copy) is refused from now on, and the phones holding the pass are updated.",
  query: NO_QUERY,
  toAction: () => ({ kind: "rotate_barcode" }),
  errors: [404],
  example: PASS_EXAMPLE,
});
