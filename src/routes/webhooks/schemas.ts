import { z } from "@hono/zod-openapi";
import { MODES, WEBHOOK_EVENT_TYPES } from "../../domain/enums";

const Url = z.string().max(2048).openapi({
  example: "https://example.com/passlite/webhooks",
  description: "https:// only; hosts that are or resolve to loopback, private, link-local, CGNAT or other non-public addresses are refused",
});
const Events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .openapi({ description: "What to send; all seven when omitted", example: ["pass.created", "pass.redeemed"] });
const Description = z.string().trim().max(200).nullable();

export const CreateWebhookBody = z
  .object({ url: Url, events: Events.optional(), description: Description.optional() })
  .strict()
  .openapi("CreateWebhookRequest");

export const UpdateWebhookBody = z
  .object({
    url: Url,
    events: Events,
    description: Description,
    status: z.enum(["enabled", "disabled"]).openapi({ description: "`enabled` also clears a disabled endpoint's failure history" }),
  })
  .partial()
  .strict()
  .openapi("UpdateWebhookRequest");

export const WebhookSchema = z
  .object({
    id: z.string().openapi({ example: "wh_06h1460753etx8qzseczcxd4vc" }),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    description: z.string().nullable(),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable().openapi({ example: "The receiver answered 410 Gone" }),
    mode: z.enum(MODES),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Webhook");

export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description: "Signs every delivery. Shown only here (and when rotated): store it now.",
    example: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
  }),
}).openapi("WebhookWithSecret");

export const RotatedWebhookSchema = WebhookWithSecretSchema.extend({
  previous_secret_expires_at: z.string().openapi({ description: "Until then, deliveries are also signed with the previous secret" }),
}).openapi("RotatedWebhook");

export const WebhookDeliverySchema = z
  .object({
    id: z.string().openapi({ example: "whd_06h1460753etx8qzseczcxd4vc" }),
    event_id: z.string().openapi({ description: "The payload's `id`: the same on every attempt" }),
    event: z.string().openapi({ example: "pass.created" }),
    status: z.enum(["pending", "succeeded", "failed", "superseded"]),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookDelivery");
