import { z } from "@hono/zod-openapi";
import {
  changeEndpoint,
  createEndpoint,
  deliveryLog,
  getEndpoint,
  listEndpointsOf,
  redeliverDelivery,
  removeEndpoint,
  rotateSecret,
  sendTestEvent,
} from "../../domain/webhooks/endpoints";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse, pathParam } from "../openapi";
import { PageQuery, pageOf } from "../templates/schemas";
import {
  CreateWebhookBody,
  RotatedWebhookSchema,
  UpdateWebhookBody,
  WebhookDeliverySchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from "./schemas";

const tags = ["Webhooks"];
const WebhookParams = BusinessParams.extend({ webhook_id: pathParam("webhook_id") });
const DeliveryParams = WebhookParams.extend({ delivery_id: pathParam("delivery_id") });

const SIGNING = `Each delivery is a POST of \`{"id", "event", "timestamp", "data"}\` with \`X-PassLite-Signature\`: the hex HMAC-SHA256 of the raw body keyed by the secret, as in the reference's \`verifyWebhook\`. The Standard Webhooks headers (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`) are sent too, so the \`standardwebhooks\` verifier works with its replay window. A 2xx within 15 s succeeds; anything else is retried for about three days; 410 disables the endpoint. Order is not guaranteed and a delivery may repeat: de-duplicate by \`id\`.`;

const create = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/webhooks",
  tags,
  permission: "webhooks:write",
  summary: "Create a webhook",
  description: `Free plans have 1 endpoint, Pro 20 (live mode). ${SIGNING}`,
  request: { params: BusinessParams, body: jsonBody(CreateWebhookBody) },
  responses: { 201: jsonResponse(WebhookWithSecretSchema, "Created; `secret` is shown this once"), ...errorResponses(422) },
});

const list = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/webhooks",
  tags,
  permission: "webhooks:write",
  summary: "List webhooks",
  description: "Never their secrets.",
  request: { params: BusinessParams },
  responses: { 200: jsonResponse(z.object({ data: z.array(WebhookSchema) }), "Endpoints of this mode") },
});

const get = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/webhooks/{webhook_id}",
  tags,
  permission: "webhooks:write",
  summary: "Get a webhook",
  request: { params: WebhookParams },
  responses: { 200: jsonResponse(WebhookSchema, "The endpoint"), ...errorResponses(404) },
});

const update = businessRoute({
  method: "patch",
  path: "/businesses/{business_id}/webhooks/{webhook_id}",
  tags,
  permission: "webhooks:write",
  summary: "Update a webhook",
  description: "Change its URL, events or description, or disable and re-enable it.",
  request: { params: WebhookParams, body: jsonBody(UpdateWebhookBody) },
  responses: { 200: jsonResponse(WebhookSchema, "The updated endpoint"), ...errorResponses(404, 422) },
});

const remove = businessRoute({
  method: "delete",
  path: "/businesses/{business_id}/webhooks/{webhook_id}",
  tags,
  permission: "webhooks:write",
  summary: "Delete a webhook",
  request: { params: WebhookParams },
  responses: { 204: { description: "Deleted; its pending deliveries are dropped" }, ...errorResponses(404) },
});

const rotate = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/webhooks/{webhook_id}/rotate-secret",
  tags,
  permission: "webhooks:write",
  summary: "Rotate a webhook's secret",
  description: "The new secret is shown this once. For 24 hours the old one keeps verifying: deliveries carry both signatures.",
  request: { params: WebhookParams },
  responses: { 200: jsonResponse(RotatedWebhookSchema, "The new secret"), ...errorResponses(404) },
});

const test = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/webhooks/{webhook_id}/test",
  tags,
  permission: "webhooks:write",
  summary: "Send a test event",
  description: "Queues a `ping` event to this endpoint; follow it in the delivery log.",
  request: { params: WebhookParams },
  responses: {
    202: jsonResponse(z.object({ delivery_id: z.string(), event_id: z.string() }).openapi("QueuedDelivery"), "Queued"),
    ...errorResponses(404),
  },
});

const deliveries = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/webhooks/{webhook_id}/deliveries",
  tags,
  permission: "webhooks:write",
  summary: "List a webhook's deliveries",
  description: "Newest first: every event sent or being sent to this endpoint, with its attempts and last answer.",
  request: { params: WebhookParams, query: PageQuery },
  responses: {
    200: jsonResponse(pageOf(WebhookDeliverySchema, "WebhookDeliveryPage"), "A page of deliveries"),
    ...errorResponses(404, 422),
  },
});

const retry = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
  tags,
  permission: "webhooks:write",
  summary: "Redeliver",
  description: "Sends the delivery again now, whatever its status.",
  request: { params: DeliveryParams },
  responses: { 202: jsonResponse(WebhookDeliverySchema, "Queued again"), ...errorResponses(404, 409) },
});

export const webhookRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createEndpoint(c.var.tenant, c.var.principal, c.var.config, c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json({ data: await listEndpointsOf(c.var.tenant, c.var.principal) }, 200))
  .openapi(get, async (c) => c.json(await getEndpoint(c.var.tenant, c.var.principal, c.req.valid("param").webhook_id), 200))
  .openapi(update, async (c) =>
    c.json(await changeEndpoint(c.var.tenant, c.var.principal, c.var.config, c.req.valid("param").webhook_id, c.req.valid("json")), 200),
  )
  .openapi(remove, async (c) => {
    await removeEndpoint(c.var.tenant, c.var.principal, c.req.valid("param").webhook_id);
    return c.body(null, 204);
  })
  .openapi(rotate, async (c) => c.json(await rotateSecret(c.var.tenant, c.var.principal, c.req.valid("param").webhook_id), 200))
  .openapi(test, async (c) => c.json(await sendTestEvent(c.var.tenant, c.var.principal, c.req.valid("param").webhook_id), 202))
  .openapi(deliveries, async (c) =>
    c.json(await deliveryLog(c.var.tenant, c.var.principal, c.req.valid("param").webhook_id, c.req.valid("query")), 200),
  )
  .openapi(retry, async (c) => {
    const { webhook_id, delivery_id } = c.req.valid("param");
    return c.json(await redeliverDelivery(c.var.tenant, c.var.principal, c.env.WEBHOOK_QUEUE, webhook_id, delivery_id), 202);
  });
