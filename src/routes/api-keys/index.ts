import { z } from "@hono/zod-openapi";
import { createApiKey, deleteApiKey, listApiKeys } from "../../domain/api-keys";
import { API_KEY_SCOPES, MODES } from "../../domain/enums";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse } from "../openapi";

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

const KeyParams = BusinessParams.extend({ key_id: z.string().openapi({ param: { name: "key_id", in: "path" } }) });

const create = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/api-keys",
  tags,
  permission: "keys:manage",
  summary: "Create an API key",
  description: "The key is shown once.",
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
      createdBy: principal.userId,
    });
    return c.json(key, 201);
  })
  .openapi(list, async (c) => c.json({ data: await listApiKeys(c.var.data.control, c.var.principal.businessId) }, 200))
  .openapi(revoke, async (c) => {
    await deleteApiKey(c.var.data.control, c.var.principal.businessId, c.req.valid("param").key_id);
    return c.body(null, 204);
  });
