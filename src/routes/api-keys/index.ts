import { z } from "@hono/zod-openapi";
import { createApiKey, deleteApiKey, listApiKeys, updateApiKey } from "../../domain/api-keys";
import { API_KEY_SCOPES, MODES } from "../../domain/enums";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse, pathParam } from "../openapi";

const tags = ["API keys"];

const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01jd5x3m7k0000000000000000" }),
    name: z.string(),
    prefix: z.enum(["pb_live_", "pb_test_"]),
    last4: z.string(),
    mode: z.enum(MODES),
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
  })
  .openapi("ApiKey");

const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret key. Shown only in this response.", example: "pb_live_..." }),
}).openapi("CreatedApiKey");

const CreateBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "Door scanner" }),
    mode: z.enum(MODES),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).optional().openapi({ description: "Limit the key to these scopes; omitted means all" }),
  })
  .openapi("CreateApiKeyRequest");

const UpdateBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).optional().openapi({ description: "Replaces the key's scopes" }),
  })
  .openapi("UpdateApiKeyRequest");

const KeyParams = BusinessParams.extend({ key_id: pathParam("key_id") });

const create = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/api-keys",
  tags,
  permission: "keys:manage",
  summary: "Create an API key",
  description: "The key is shown once. Keys need a plan with API access: on Free, 402 `pro_feature`.",
  request: { params: BusinessParams, body: jsonBody(CreateBody) },
  responses: { 201: jsonResponse(CreatedApiKeySchema, "Created"), ...errorResponses(422) },
});

const list = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/api-keys",
  tags,
  permission: "keys:manage",
  summary: "List API keys",
  description: "Active keys, never their secrets.",
  request: { params: BusinessParams },
  responses: { 200: jsonResponse(z.object({ data: z.array(ApiKeySchema) }), "Keys") },
});

const update = businessRoute({
  method: "patch",
  path: "/businesses/{business_id}/api-keys/{key_id}",
  tags,
  permission: "keys:manage",
  summary: "Rename or rescope an API key",
  description: "New scopes apply from the key's next request. An empty body is refused with 422.",
  request: { params: KeyParams, body: jsonBody(UpdateBody) },
  responses: { 200: jsonResponse(ApiKeySchema, "The updated key"), ...errorResponses(404, 422) },
});

const revoke = businessRoute({
  method: "delete",
  path: "/businesses/{business_id}/api-keys/{key_id}",
  tags,
  permission: "keys:manage",
  summary: "Revoke an API key",
  description: "It fails from its next request.",
  request: { params: KeyParams },
  responses: { 204: { description: "Revoked" }, ...errorResponses(404) },
});

export const apiKeyRoutes = createRouter()
  .openapi(create, async (c) => {
    const { principal } = c.var;
    const key = await createApiKey(c.var.data.control, {
      ...c.req.valid("json"),
      businessId: principal.businessId,
      plan: principal.plan,
      createdBy: principal.userId,
    });
    return c.json(key, 201);
  })
  .openapi(list, async (c) => c.json({ data: await listApiKeys(c.var.data.control, c.var.principal.businessId) }, 200))
  .openapi(update, async (c) => {
    const { key_id } = c.req.valid("param");
    return c.json(await updateApiKey(c.var.data.control, c.var.guards, c.var.principal.businessId, key_id, c.req.valid("json")), 200);
  })
  .openapi(revoke, async (c) => {
    await deleteApiKey(c.var.data.control, c.var.guards, c.var.principal.businessId, c.req.valid("param").key_id);
    return c.body(null, 204);
  });
