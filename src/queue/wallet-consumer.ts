import { loadConfig } from "../config";
import { deleteRegistrationById, type RegistrationRow, registrationsForPass } from "../db/apple-registrations";
import { findBusiness } from "../db/businesses";
import { DataContext } from "../db/data-context";
import type { Settlement, WalletDeliveryRow } from "../db/deliveries";
import { findPassesByIdsUnscoped, type PassRow } from "../db/passes";
import { findTemplateById } from "../db/templates";
import type { Tenant } from "../db/tenant";
import type { Env } from "../env";
import { chunk } from "../lib/chunk";
import type { PushOutcome } from "../wallet/apple/apns";
import { type ApnsClient, apnsClient } from "../wallet/apple/apns-config";
import { loadPassContext } from "../wallet/context";
import { type GoogleWallet, googleWallet } from "../wallet/google/links";
import { byShard, claimAttempts, nextAttemptAt, type Outcome, settleAttempts } from "./deliveries";
import type { DeliveryMessage } from "./messages";

/** Seconds before a failed wallet delivery is tried again: 10 s, 40 s, 160 s … capped at an hour. */
export const retryDelay = (attempts: number) => Math.min(3600, 10 * 4 ** Math.max(0, attempts - 1));
/** About seven hours of tries; a pass that still cannot be pushed is refreshed by Wallet anyway. */
const MAX_ATTEMPTS = 12;
const LEASE_MS = 2 * 60 * 1000;

interface Clients {
  apns: ApnsClient | null;
  google: GoogleWallet | null;
}

/** One claimed delivery of a pass: the pass now, its devices, and whether anything failed. */
interface PassDelivery {
  message: Message<DeliveryMessage>;
  tenant: Tenant;
  row: PassRow;
  registrations: RegistrationRow[];
  error: string | null;
}

/** Every device of every delivery in one APNs call (through the relay, one request per 1,000 devices). */
async function pushToDevices(apns: ApnsClient | null, deliveries: PassDelivery[]): Promise<void> {
  const pushes = deliveries.flatMap((delivery) => delivery.registrations.map((registration) => ({ delivery, registration })));
  if (!apns || pushes.length === 0) return;
  let outcomes: PushOutcome[];
  try {
    outcomes = await apns.pushPassUpdates(
      pushes.map(({ registration: r }) => ({ pushToken: r.push_token, passTypeIdentifier: r.pass_type_id })),
    );
  } catch (error) {
    for (const { delivery } of pushes) delivery.error = `APNs pushes failed: ${String(error)}`;
    return;
  }
  for (const [i, { delivery, registration }] of pushes.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.ok) continue;
    if ("unregister" in outcome && outcome.unregister) {
      // The device removed the pass (410 / BadDeviceToken): forget it, nothing to retry.
      await deleteRegistrationById(delivery.tenant.db, registration.id).run();
    } else if (outcome.retry) {
      delivery.error = `APNs ${outcome.status}: ${outcome.reason}`;
    }
  }
}

function settlementFor(error: string | null, attempt: number): Settlement {
  if (!error) return { status: "succeeded" };
  if (attempt >= MAX_ATTEMPTS) return { status: "failed", error };
  return { status: "pending", error, nextAttemptAt: nextAttemptAt(retryDelay(attempt)) };
}

/** A template's (or business's) new look for Google: the class, once. */
async function deliverClass(tenant: Tenant, google: GoogleWallet | null, delivery: WalletDeliveryRow): Promise<string | null> {
  const template = await findTemplateById(tenant.db, delivery.template_id!);
  const business = template && (await findBusiness(tenant.control, template.businessId));
  if (!google || !template || !business) return null;
  const result = await google.syncClass({ business, template, design: template.design });
  return result.ok || !result.retry ? null : `Google ${result.status}: ${result.reason}`;
}

/** A shard's share of a batch, claimed: what is settled already, and the passes whose devices must be pushed. */
interface ShardWork {
  tenant: Tenant;
  messages: Message<DeliveryMessage>[];
  outcomes: Outcome[];
  passes: PassDelivery[];
}

/** Claims a shard's deliveries in one batch and loads their passes and devices. */
async function prepareShard(clients: Clients, tenant: Tenant, messages: Message<DeliveryMessage>[]): Promise<ShardWork> {
  const work: ShardWork = { tenant, messages, outcomes: [], passes: [] };
  const claims = await claimAttempts<WalletDeliveryRow>(tenant, "wallet_deliveries", messages, LEASE_MS);
  const rows = new Map<string, PassRow>();
  for (const ids of chunk([...new Set(claims.flatMap((c) => (c.row.pass_id ? [c.row.pass_id] : [])))], 90)) {
    for (const row of await findPassesByIdsUnscoped(tenant.db, ids)) rows.set(row.id, row);
  }
  for (const { message, row: delivery } of claims) {
    if (!delivery.pass_id) {
      const error = await deliverClass(tenant, clients.google, delivery);
      work.outcomes.push({ message, settlement: settlementFor(error, message.body.attempt) });
      continue;
    }
    const row = rows.get(delivery.pass_id);
    if (!row || (delivery.pass_version !== null && row.version > delivery.pass_version)) {
      work.outcomes.push({ message, settlement: { status: "superseded" } });
      continue;
    }
    const registrations = clients.apns ? await registrationsForPass(tenant.db, row.id) : [];
    work.passes.push({ message, tenant, row, registrations, error: null });
  }
  return work;
}

/** After the pushes: each pass's Google object, then every outcome of the shard in one batch. */
async function finishShard(env: Env, clients: Clients, work: ShardWork): Promise<void> {
  for (const p of work.passes) {
    if (clients.google) {
      const ctx = await loadPassContext(p.tenant, p.row);
      const result = ctx && (await clients.google.syncObject(ctx));
      if (result && !result.ok && result.retry) p.error ??= `Google ${result.status}: ${result.reason}`;
    }
    work.outcomes.push({ message: p.message, settlement: settlementFor(p.error, p.message.body.attempt) });
  }
  await settleAttempts(work.tenant, "wallet_deliveries", env.WALLET_QUEUE, work.outcomes);
}

/** Runs `step` per shard; a shard whose step throws has its messages retried, the others go on. */
async function perShard<T>(
  groups: Array<[string, Message<DeliveryMessage>[]]>,
  step: (shard: string, messages: Message<DeliveryMessage>[]) => Promise<T>,
) {
  const done = await Promise.all(
    groups.map(async ([shard, messages]) => {
      try {
        return await step(shard, messages);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", message: "wallet deliveries failed", shard, error: String(error) }));
        for (const message of messages) message.retry({ delaySeconds: retryDelay(message.attempts) });
        return undefined;
      }
    }),
  );
  return done.filter((d): d is Awaited<T> => d !== undefined);
}

/**
 * The wallet-delivery consumer: each delivery makes the wallets show its pass's current version
 * — an APNs background push to every device holding it (all of a batch's devices, whatever their
 * shard, in one relay request) and the Google object updated — or updates a template's Google
 * class. A delivery whose pass has moved on is superseded by the newer one.
 */
export async function consumeWalletDeliveries(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const clients: Clients = { apns: apnsClient(env, config), google: googleWallet(config) };
  const data = new DataContext(env);
  const prepared = await perShard([...byShard(batch.messages)], (shard, messages) => prepareShard(clients, data.tenant(shard), messages));
  await pushToDevices(
    clients.apns,
    prepared.flatMap((w) => w.passes),
  );
  await perShard(
    prepared.map((w) => [w.tenant.shard, w.messages]),
    (shard) => finishShard(env, clients, prepared.find((w) => w.tenant.shard === shard)!),
  );
}
