import type { Database } from "../../db/client";
import { claimNonce } from "../../db/google-callback-nonces";
import { findPassBySerial, insertEvent } from "../../db/passes";
import { runBatch } from "../../db/statements";
import { newId } from "../../lib/ids";

export interface VerifiedCallback {
  objectId: string;
  eventType: "save" | "del";
  nonce: string;
}

/**
 * A verified Google Wallet save/delete becomes `pass.installed` / `pass.uninstalled`, once per
 * nonce (Google retries callbacks): the nonce claim and the event are one batch.
 */
export async function recordGoogleCallback(db: Database, issuerId: string, callback: VerifiedCallback): Promise<boolean> {
  const prefix = `${issuerId}.`;
  if (!callback.objectId.startsWith(prefix)) return false;
  const pass = await findPassBySerial(db, callback.objectId.slice(prefix.length));
  if (!pass) return false;
  const now = new Date().toISOString();
  const type = callback.eventType === "save" ? "pass.installed" : "pass.uninstalled";
  const [claimed] = await runBatch(db, [
    claimNonce(db, callback.nonce),
    insertEvent(db, { id: newId("evt"), passId: pass.id, type, change: { wallet: "google" }, now, afterChange: true }),
  ]);
  return claimed!.meta.changes === 1;
}
