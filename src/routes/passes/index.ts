import { z } from "@hono/zod-openapi";
import { assertBulkAllowed, issuePass, issuePasses } from "../../domain/passes/issue";
import { getPass, listPassPage, passByExternalId, passEvents, passesByEmail } from "../../domain/passes/lookup";
import { downloadUrl, presentPass } from "../../domain/passes/present";
import { updatePasses, updatePassFields } from "../../domain/passes/update";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse, pathParam } from "../openapi";
import { PageQuery, pageOf } from "../templates/schemas";
import { bulkResponse, validateItems } from "./bulk";
import { EMAIL_LOOKUP_EXAMPLE, ISSUED_PASS_EXAMPLE, PASS_EVENT_EXAMPLE, PASS_EXAMPLE, pageExample } from "./examples";
import {
  BulkIssueBody,
  BulkIssueResult,
  BulkUpdateBody,
  BulkUpdateItem,
  BulkUpdateResult,
  IssuePassBody,
  ListPassesQuery,
  PassEventSchema,
  PassSchema,
  UpdatePassBody,
} from "./schemas";

const tags = ["Passes"];
export const PassParams = BusinessParams.extend({
  identifier: pathParam("identifier", { description: "Pass id, serial number or external_id (detected in that order)" }),
});

const issue = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/passes",
  tags,
  permission: "passes:write",
  summary: "Issue a pass",
  description: "Create and issue a new wallet pass to a customer.",
  request: { params: BusinessParams, body: jsonBody(IssuePassBody) },
  responses: { 201: jsonResponse(PassSchema, "Issued", ISSUED_PASS_EXAMPLE), ...errorResponses(404, 409, 422) },
});

const bulkIssue = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/passes/bulk",
  tags,
  permission: "passes:write",
  summary: "Bulk issue passes",
  description: "Issue up to 500 passes in one request (Pro plan). Partial success: the response has one result per item, created or error.",
  request: { params: BusinessParams, body: jsonBody(BulkIssueBody) },
  responses: {
    200: jsonResponse(
      BulkIssueResult,
      "Per-item results; error codes: validation_error, template_not_found, template_archived, duplicate_external_id, duplicate_barcode_data, plan_limit",
    ),
    ...errorResponses(422),
  },
});

const bulkUpdate = businessRoute({
  method: "patch",
  path: "/businesses/{business_id}/passes/bulk",
  tags,
  permission: "passes:write",
  summary: "Bulk update passes",
  description:
    "Update up to 500 passes in one request (Pro plan), each named by `identifier` (pass id, serial number or external_id). Partial success: one result per item.",
  request: { params: BusinessParams, body: jsonBody(BulkUpdateBody) },
  responses: {
    200: jsonResponse(
      BulkUpdateResult,
      "Per-item results; error codes: validation_error, not_found, duplicate_external_id, duplicate_barcode_data",
    ),
    ...errorResponses(422),
  },
});

const list = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/passes",
  tags,
  permission: "passes:read",
  summary: "List passes",
  description: "Newest first, with filters and search.",
  request: { params: BusinessParams, query: ListPassesQuery },
  responses: { 200: jsonResponse(pageOf(PassSchema, "PassPage"), "A page of passes", pageExample(PASS_EXAMPLE)) },
});

const byEmail = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/passes/lookup/email/{email}",
  tags,
  permission: "passes:read",
  summary: "Look up passes by email",
  description: "All passes for an email address (case-insensitive), newest first; may be empty.",
  request: { params: BusinessParams.extend({ email: pathParam("email", { max: 254 }) }) },
  responses: { 200: jsonResponse(z.array(PassSchema), "Passes, newest first (may be empty)", EMAIL_LOOKUP_EXAMPLE) },
});

const byExternal = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/passes/lookup/external/{external_id}",
  tags,
  permission: "passes:read",
  summary: "Look up a pass by external ID",
  description: "The pass with this `external_id`.",
  request: { params: BusinessParams.extend({ external_id: pathParam("external_id") }) },
  responses: { 200: jsonResponse(PassSchema, "The pass"), ...errorResponses(404) },
});

const get = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/passes/{identifier}",
  tags,
  permission: "passes:read",
  summary: "Get a pass",
  description: "By its `id`, `serial_number` or `external_id`, detected in that order.",
  request: { params: PassParams },
  responses: { 200: jsonResponse(PassSchema, "The pass"), ...errorResponses(404) },
});

const update = businessRoute({
  method: "patch",
  path: "/businesses/{business_id}/passes/{identifier}",
  tags,
  permission: "passes:write",
  summary: "Update a pass",
  description: "Only the given fields change; `metadata` is merged with the existing keys (a key set to null is removed).",
  request: { params: PassParams, body: jsonBody(UpdatePassBody) },
  responses: { 200: jsonResponse(PassSchema, "The updated pass"), ...errorResponses(404, 409, 422) },
});

const events = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/passes/{identifier}/events",
  tags,
  permission: "passes:read",
  summary: "List a pass's events",
  description: "The pass's history, newest first.",
  request: { params: PassParams, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(PassEventSchema, "PassEventPage"), "A page of events", pageExample(PASS_EVENT_EXAMPLE)),
    ...errorResponses(404),
  },
});

export const passRoutes = createRouter()
  .openapi(bulkIssue, async (c) => {
    assertBulkAllowed(c.var.principal);
    const validated = validateItems(IssuePassBody, c.req.valid("json").passes);
    const valid = validated.flatMap((v) => (v.ok ? [v.value] : []));
    const outcomes = (await issuePasses(c.var.tenant, c.var.principal, valid)).map((o) =>
      o.ok
        ? {
            ok: true as const,
            value: { id: o.row.id, serial_number: o.row.serial_number, download_url: downloadUrl(c.var.config.API_ORIGIN, o.row) },
          }
        : { ok: false as const, code: o.error.code, message: o.error.message },
    );
    return c.json(bulkResponse(validated, outcomes, "created"), 200);
  })
  .openapi(bulkUpdate, async (c) => {
    assertBulkAllowed(c.var.principal);
    const validated = validateItems(BulkUpdateItem, c.req.valid("json").passes);
    const valid = validated.flatMap((v) => (v.ok ? [v.value] : []));
    const results = await updatePasses(c.var.tenant, c.var.principal, valid);
    const outcomes = results.map((o) => (o.ok ? { ok: true as const, value: { id: o.row.id, serial_number: o.row.serial_number } } : o));
    return c.json(bulkResponse(validated, outcomes, "updated"), 200);
  })
  .openapi(issue, async (c) =>
    c.json(presentPass(await issuePass(c.var.tenant, c.var.principal, c.req.valid("json")), c.var.config.API_ORIGIN), 201),
  )
  .openapi(list, async (c) => {
    const { template_id, status, q, updated_since, expires_before, cursor, limit } = c.req.valid("query");
    const filter = { templateId: template_id, status, q, updatedSince: updated_since, expiresBefore: expires_before, cursor, limit };
    return c.json(await listPassPage(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, filter), 200);
  })
  .openapi(byEmail, async (c) =>
    c.json(await passesByEmail(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("param").email), 200),
  )
  .openapi(byExternal, async (c) =>
    c.json(await passByExternalId(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("param").external_id), 200),
  )
  .openapi(get, async (c) =>
    c.json(await getPass(c.var.tenant, c.var.principal, c.var.config.API_ORIGIN, c.req.valid("param").identifier), 200),
  )
  .openapi(update, async (c) => {
    const row = await updatePassFields(c.var.tenant, c.var.principal, c.req.valid("param").identifier, c.req.valid("json"));
    return c.json(presentPass(row, c.var.config.API_ORIGIN), 200);
  })
  .openapi(events, async (c) =>
    c.json(await passEvents(c.var.tenant, c.var.principal, c.req.valid("param").identifier, c.req.valid("query")), 200),
  );

// Only BulkUpdateRequest's `items` names it, which the generator does not follow.
passRoutes.openAPIRegistry.register("BulkUpdateItem", BulkUpdateItem);
