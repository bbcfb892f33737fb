import { DataContext } from "../db/data-context";
import type { Env } from "../env";
import { dispatchEvents, fanOutPage } from "./fan-out";
import type { EventsMessage } from "./messages";

/** The outbox's consumer: committed events become deliveries; look changes are fanned out page by page. */
export async function consumeEvents(batch: MessageBatch<EventsMessage>, env: Env): Promise<void> {
  const data = new DataContext(env);
  for (const message of batch.messages) {
    try {
      if (message.body.kind === "events") await dispatchEvents(env, data, message.body);
      else await fanOutPage(env, data, message.body);
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", message: "event fan-out failed", body: message.body, error: String(error) }));
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** message.attempts) });
    }
  }
}
