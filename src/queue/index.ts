import type { Env } from "../env";
import { consumeEmailDeliveries } from "./email-consumer";
import { consumeEvents } from "./events-consumer";
import type { DeliveryMessage, EventsMessage } from "./messages";
import { consumeWalletDeliveries } from "./wallet-consumer";
import { consumeWebhookDeliveries } from "./webhook-consumer";

/** Queue names as wrangler.toml declares them. */
export const QUEUES = {
  events: "passlite-events",
  wallet: "passlite-wallet",
  webhooks: "passlite-webhooks",
  email: "passlite-email",
} as const;

/** The Worker's queue() handler: each queue to its consumer. */
export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case QUEUES.events:
      return consumeEvents(batch as MessageBatch<EventsMessage>, env);
    case QUEUES.wallet:
      return consumeWalletDeliveries(batch as MessageBatch<DeliveryMessage>, env);
    case QUEUES.webhooks:
      return consumeWebhookDeliveries(batch as MessageBatch<DeliveryMessage>, env);
    case QUEUES.email:
      return consumeEmailDeliveries(batch as MessageBatch<DeliveryMessage>, env);
    default:
      throw new Error(`No consumer for queue ${batch.queue}`);
  }
}
