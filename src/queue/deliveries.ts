import {
  claimDelivery,
  type DeliveryState,
  type DeliveryTable,
  findDeliveryStates,
  type Settlement,
  settleDelivery,
} from "../db/deliveries";
import type { Tenant } from "../db/tenant";
import { chunk } from "../lib/chunk";
import { type DeliveryMessage, MAX_QUEUE_DELAY_SECONDS } from "./messages";

const secondsUntil = (iso: string, now: number) => Math.max(1, Math.ceil((Date.parse(iso) - now) / 1000));

/** Messages of one queue batch, grouped by the shard holding their deliveries. */
export function byShard(messages: readonly Message<DeliveryMessage>[]): Map<string, Message<DeliveryMessage>[]> {
  const groups = new Map<string, Message<DeliveryMessage>[]>();
  for (const message of messages) groups.set(message.body.shard, [...(groups.get(message.body.shard) ?? []), message]);
  return groups;
}

/**
 * Takes the attempts these messages ask for, in one batch. A message whose attempt is not its to
 * make — a duplicate, a settled delivery, another consumer's lease — is acknowledged; one that woke
 * early because queues cap a delay at 12 hours goes back to sleep for the rest. Returns the claimed
 * deliveries with their messages.
 */
export async function claimAttempts<Row extends DeliveryState>(
  tenant: Tenant,
  table: DeliveryTable,
  messages: Message<DeliveryMessage>[],
  leaseMs: number,
): Promise<Array<{ message: Message<DeliveryMessage>; row: Row }>> {
  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  const leaseUntil = new Date(now + leaseMs).toISOString();
  const batch = tenant.batch();
  const claims = messages.map((message) => ({
    message,
    result: batch.add(
      claimDelivery(tenant.db, table, { id: message.body.delivery, attempt: message.body.attempt, now: nowIso, leaseUntil }),
    ),
  }));
  await batch.run();
  const claimed = claims.flatMap(({ message, result }) => {
    const row = result.first<Row>();
    return row ? [{ message, row }] : [];
  });
  const missed = claims.filter(({ result }) => !result.first()).map(({ message }) => message);
  if (missed.length > 0) {
    const states = new Map(
      (
        await findDeliveryStates(
          tenant.db,
          table,
          missed.map((m) => m.body.delivery),
        )
      ).map((s) => [s.id, s]),
    );
    for (const message of missed) {
      const state = states.get(message.body.delivery);
      const sleptShort =
        state?.status === "pending" && state.attempts === message.body.attempt - 1 && Date.parse(state.next_attempt_at) > now;
      if (sleptShort) message.retry({ delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, secondsUntil(state.next_attempt_at, now)) });
      else message.ack();
    }
  }
  return claimed;
}

export interface Outcome {
  message: Message<DeliveryMessage>;
  settlement: Settlement;
  statusCode?: number | null;
}

/**
 * Records how attempts went, in one batch (with `extra` statements, such as endpoint health), and
 * queues each delivery to try again afresh as its next attempt, delayed until it is due (a queue's
 * own retry would repeat this attempt's number).
 */
export async function settleAttempts(
  tenant: Tenant,
  table: DeliveryTable,
  queue: Queue<DeliveryMessage>,
  outcomes: Outcome[],
  extra: D1PreparedStatement[] = [],
): Promise<void> {
  if (outcomes.length === 0) return;
  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  const batch = tenant.batch();
  for (const o of outcomes)
    batch.add(
      settleDelivery(tenant.db, table, { id: o.message.body.delivery, settlement: o.settlement, now: nowIso, statusCode: o.statusCode }),
    );
  for (const statement of extra) batch.add(statement);
  await batch.run();
  const again = outcomes.flatMap((o) =>
    o.settlement.status === "pending"
      ? [
          {
            body: { ...o.message.body, attempt: o.message.body.attempt + 1 },
            delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, secondsUntil(o.settlement.nextAttemptAt, now)),
          },
        ]
      : [],
  );
  for (const part of chunk(again, 100)) await queue.sendBatch(part);
  for (const o of outcomes) o.message.ack();
}

/** When the next attempt is due, `delaySeconds` from now, with up to 10% jitter so retries do not stampede. */
export function nextAttemptAt(delaySeconds: number, now = Date.now(), random = Math.random()): string {
  return new Date(now + delaySeconds * 1000 * (1 + random * 0.1)).toISOString();
}
