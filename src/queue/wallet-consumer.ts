import { loadConfig } from "../config";
import { deleteRegistrationById, registrationsForPass } from "../db/apple-registrations";
import { createDatabase, type Database } from "../db/client";
import { findPassByIdUnscoped } from "../db/passes";
import { openTenant } from "../db/shards";
import type { Env } from "../env";
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

/** Pushes one change to every wallet holding the pass. Returns whether anything must be retried. */
async function deliver(clients: Clients, update: WalletUpdate): Promise<{ retry: boolean }> {
  const { apns, google } = clients;
  const tenant = openTenant(clients.env, update.shard, clients.control);
  const { db } = tenant;
  const row = await findPassByIdUnscoped(db, update.passId);
  // A newer change is queued behind this one; it will push the same devices.
  if (!row || row.version > update.version) return { retry: false };

  let retry = false;
  if (apns) {
    for (const registration of await registrationsForPass(db, row.id)) {
      const outcome = await apns.pushPassUpdate(registration.push_token, registration.pass_type_id);
      if (outcome.ok) continue;
      if ("unregister" in outcome && outcome.unregister) await deleteRegistrationById(db, registration.id).run();
      else if (outcome.retry) retry = true;
    }
  }
  if (google) {
    const ctx = await loadPassContext(tenant, row);
    if (ctx && !(await google.syncObject(ctx)).ok) retry = true;
  }
  return { retry };
}

/** The queue consumer: wallet pushes happen here, never inline with an API request. */
export async function consumeWalletUpdates(batch: MessageBatch<WalletUpdate>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const clients: Clients = { env, control: createDatabase(env.DB), apns: apnsClient(config), google: googleWallet(config) };
  for (const message of batch.messages) {
    try {
      const { retry } = await deliver(clients, message.body);
      if (retry) message.retry({ delaySeconds: retryDelay(message.attempts) });
      else message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", message: "wallet update failed", passId: message.body.passId, error: String(error) }));
      message.retry({ delaySeconds: retryDelay(message.attempts) });
    }
  }
}
