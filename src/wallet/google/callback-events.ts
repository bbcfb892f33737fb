import type { DataContext } from "../../db/data-context";
import { insertPassEvent } from "../../db/events";
import { claimNonce } from "../../db/google-callback-nonces";
import { newId } from "../../lib/ids";
import { findPassBySerialAnywhere } from "../context";

export interface VerifiedCallback {
  objectId: string;
  eventType: "save" | "del";
  nonce: string;
}

/**
 * A verified Google Wallet save/delete becomes `pass.installed` / `pass.uninstalled`, once per
 * nonce (Google retries callbacks): the nonce claim and the event are one batch in the pass's shard.
 */
export async function recordGoogleCallback(data: DataContext, issuerId: string, callback: VerifiedCallback): Promise<boolean> {
  const prefix = `${issuerId}.`;
  if (!callback.objectId.startsWith(prefix)) return false;
  const found = await findPassBySerialAnywhere(data, callback.objectId.slice(prefix.length));
  if (!found) return false;
  const { tenant, pass } = found;
  const now = new Date().toISOString();
  const type = callback.eventType === "save" ? "pass.installed" : "pass.uninstalled";
  const batch = tenant.batch();
  const claimed = batch.add(claimNonce(tenant.db, callback.nonce));
  batch.addEvent(
    insertPassEvent(tenant.db, { id: newId("evt"), passId: pass.id, type, change: { wallet: "google" }, now, afterChange: true }),
  );
  await batch.run();
  return claimed.rows().length === 1;
}
