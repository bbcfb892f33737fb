import { loadConfig } from "../config";
import { deleteRegistrationById, type RegistrationRow, registrationsForPass } from "../db/apple-registrations";
import { createDatabase, type Database } from "../db/client";
import { findPassByIdUnscoped, type PassRow } from "../db/passes";
import { openTenant } from "../db/shards";
import type { Tenant } from "../db/tenant";
import type { Env } from "../env";
import type { PushOutcome } from "../wallet/apple/apns";
import { type ApnsClient, apnsClient } from "../wallet/apple/apns-config";
import { loadPassContext } from "../wallet/context";
import { type GoogleWallet, googleWallet } from "../wallet/google/links";
import type { WalletUpdate } from "./wallet-updates";

/** Seconds before a failed delivery is tried again: 10 s, 40 s, 160 s … capped at an hour. */
export const retryDelay = (attempts: number) => Math.min(3600, 10 * 4 ** Math.max(0, attempts - 1));

interface Clients {
  env: Env;
  control: Database;
  apns: ApnsClient | null;
  google: GoogleWallet | null;
}

/** One message whose pass is current: its devices, and whether anything must be retried. */
interface Delivery {
  message: Message<WalletUpdate>;
  tenant: Tenant;
  row: PassRow;
  registrations: RegistrationRow[];
  retry: boolean;
}

function retryLater(message: Message<WalletUpdate>, error?: unknown): void {
  if (error !== undefined) {
    console.error(JSON.stringify({ level: "error", message: "wallet update failed", passId: message.body.passId, error: String(error) }));
  }
  message.retry({ delaySeconds: retryDelay(message.attempts) });
}

/** Every device of every delivery in one APNs call (through the relay, one request per 1,000 devices). */
async function pushToDevices(clients: Clients, deliveries: Delivery[]): Promise<void> {
  const { apns } = clients;
  const pushes = deliveries.flatMap((delivery) => delivery.registrations.map((registration) => ({ delivery, registration })));
  if (!apns || pushes.length === 0) return;
  let outcomes: PushOutcome[];
  try {
    outcomes = await apns.pushPassUpdates(
      pushes.map(({ registration: r }) => ({ pushToken: r.push_token, passTypeIdentifier: r.pass_type_id })),
    );
  } catch (error) {
    console.error(JSON.stringify({ level: "error", message: "APNs pushes failed", error: String(error) }));
    for (const { delivery } of pushes) delivery.retry = true;
    return;
  }
  for (const [i, { delivery, registration }] of pushes.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.ok) continue;
    if (!("unregister" in outcome && outcome.unregister)) {
      if (outcome.retry) delivery.retry = true;
      continue;
    }
    try {
      await deleteRegistrationById(delivery.tenant.db, registration.id).run();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", message: "dropping a dead registration failed", error: String(error) }));
      delivery.retry = true;
    }
  }
}

/** The queue consumer: wallet pushes happen here, never inline with an API request. */
export async function consumeWalletUpdates(batch: MessageBatch<WalletUpdate>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const clients: Clients = { env, control: createDatabase(env.DB), apns: apnsClient(env, config), google: googleWallet(config) };
  const deliveries: Delivery[] = [];
  for (const message of batch.messages) {
    try {
      const tenant = openTenant(env, message.body.shard, clients.control);
      const row = await findPassByIdUnscoped(tenant.db, message.body.passId);
      // A newer change is queued behind this one; it will push the same devices.
      if (!row || row.version > message.body.version) {
        message.ack();
        continue;
      }
      const registrations = clients.apns ? await registrationsForPass(tenant.db, row.id) : [];
      deliveries.push({ message, tenant, row, registrations, retry: false });
    } catch (error) {
      retryLater(message, error);
    }
  }
  await pushToDevices(clients, deliveries);
  for (const delivery of deliveries) {
    try {
      if (clients.google) {
        const ctx = await loadPassContext(delivery.tenant, delivery.row);
        if (ctx && !(await clients.google.syncObject(ctx)).ok) delivery.retry = true;
      }
      if (delivery.retry) retryLater(delivery.message);
      else delivery.message.ack();
    } catch (error) {
      retryLater(delivery.message, error);
    }
  }
}
