import type { EventOutbox } from "../db/tenant";
import { type EventsMessage, sendAll } from "./messages";

const IDS_PER_MESSAGE = 100;

/**
 * Queues the ids of the events a request or job committed, for the fan-out. A failed send loses
 * nothing: the events stay undispatched and the cron sweep queues them a minute later.
 */
export async function flushOutbox(queue: Queue<EventsMessage>, outbox: EventOutbox): Promise<void> {
  const messages: EventsMessage[] = [];
  for (const { shard, events } of outbox.drain()) {
    for (let i = 0; i < events.length; i += IDS_PER_MESSAGE)
      messages.push({ kind: "events", shard, events: events.slice(i, i + IDS_PER_MESSAGE) });
  }
  await sendAll(queue, messages);
}
