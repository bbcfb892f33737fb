/**
 * What travels on PassLite's queues. Every message names the shard whose database holds what it
 * refers to, so a consumer finds it without asking anyone.
 */

/** passlite-events: committed events to fan out, or the next page of a look change's fan-out. */
export type EventsMessage =
  | { kind: "events"; shard: string; events: string[] }
  | {
      kind: "fanout";
      /** The shard holding the passes (for a business edit, not the control database its event is in). */
      shard: string;
      eventId: string;
      templateId: string;
      /** Pass id after which the next page starts ("" for the first). */
      after: string;
    };

/** passlite-wallet, passlite-webhooks and passlite-email: attempt number `attempt` of one delivery. */
export interface DeliveryMessage {
  shard: string;
  delivery: string;
  attempt: number;
}

/** Queues cap a message's delay at 12 hours; longer waits are taken in steps. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

const SEND_BATCH_LIMIT = 100;

export async function sendAll<T>(queue: Queue<T>, bodies: T[], delaySeconds?: number): Promise<void> {
  for (let i = 0; i < bodies.length; i += SEND_BATCH_LIMIT) {
    await queue.sendBatch(bodies.slice(i, i + SEND_BATCH_LIMIT).map((body) => ({ body, ...(delaySeconds ? { delaySeconds } : {}) })));
  }
}
