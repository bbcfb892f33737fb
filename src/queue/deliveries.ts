import {
  claimDelivery,
  type DeliveryState,
  type DeliveryTable,
  findDeliveryState,
  type Settlement,
  settleDelivery,
} from "../db/deliveries";
import type { Tenant } from "../db/tenant";
import { type DeliveryMessage, MAX_QUEUE_DELAY_SECONDS } from "./messages";

const secondsUntil = (iso: string, now: number) => Math.max(1, Math.ceil((Date.parse(iso) - now) / 1000));

/**
 * Takes the attempt a message asks for. Nothing is returned, and the message is dealt with, when
 * the attempt is not this message's to make: a duplicate, a settled delivery, another consumer's
 * lease — or a message that woke early because queues cap a delay at 12 hours, which goes back
 * to sleep for the rest.
 */
export async function claimAttempt<Row extends DeliveryState>(
  tenant: Tenant,
  table: DeliveryTable,
  message: Message<DeliveryMessage>,
  leaseMs: number,
): Promise<Row | undefined> {
  const now = Date.now();
  const claim = {
    id: message.body.delivery,
    attempt: message.body.attempt,
    now: new Date(now).toISOString(),
    leaseUntil: new Date(now + leaseMs).toISOString(),
  };
  const row = await claimDelivery(tenant.db, table, claim).first<Row>();
  if (row) return row;
  const [state] = await findDeliveryState(tenant.db, table, message.body.delivery);
  const sleptShort = state?.status === "pending" && state.attempts === message.body.attempt - 1 && Date.parse(state.next_attempt_at) > now;
  if (sleptShort) message.retry({ delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, secondsUntil(state.next_attempt_at, now)) });
  else message.ack();
  return undefined;
}

/**
 * Records how an attempt went. A delivery to try again is queued afresh as its next attempt,
 * delayed until it is due (a queue's own retry would repeat this attempt's number).
 */
export async function settleAttempt(
  tenant: Tenant,
  table: DeliveryTable,
  queue: Queue<DeliveryMessage>,
  message: Message<DeliveryMessage>,
  settlement: Settlement,
  statusCode?: number | null,
): Promise<void> {
  const now = Date.now();
  await settleDelivery(tenant.db, table, { id: message.body.delivery, settlement, now: new Date(now).toISOString(), statusCode }).run();
  if (settlement.status === "pending") {
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, secondsUntil(settlement.nextAttemptAt, now));
    await queue.send({ ...message.body, attempt: message.body.attempt + 1 }, { delaySeconds });
  }
  message.ack();
}

/** When the attempt after `attempt` is due, `delaySeconds` from now, with up to 10% jitter so retries do not stampede. */
export function nextAttemptAt(delaySeconds: number, now = Date.now(), random = Math.random()): string {
  return new Date(now + delaySeconds * 1000 * (1 + random * 0.1)).toISOString();
}
