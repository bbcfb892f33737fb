import {
  deleteRegistration,
  insertDeviceLogs,
  insertRegistration,
  refreshPushToken,
  updatedSerialsForDevice,
} from "../../db/apple-registrations";
import type { Database } from "../../db/client";
import { findPassBySerial, insertEvent, type PassRow } from "../../db/passes";
import { runBatch } from "../../db/statements";
import { timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";

/**
 * The PassKit web service's rules. Wallet authenticates each pass with `ApplePass <token>`,
 * the per-pass authenticationToken we put in pass.json.
 */
export async function authenticatePassRequest(
  db: Database,
  expectedPassTypeId: string,
  passTypeId: string,
  serial: string,
  authorization: string | undefined,
): Promise<PassRow> {
  const token = /^ApplePass\s+(\S+)$/.exec(authorization ?? "")?.[1];
  const pass = passTypeId === expectedPassTypeId ? await findPassBySerial(db, serial) : undefined;
  // One answer for unknown pass and wrong token: the token is the only proof of possession.
  if (!pass || !token || !timingSafeEqual(token, pass.auth_token)) throw new ApiError("unauthorized", "Invalid ApplePass authorization");
  return pass;
}

/** Registers a device for a pass's pushes; true when new (201), false when already known (200). */
export async function registerDevice(
  db: Database,
  pass: PassRow,
  r: { device: string; passTypeId: string; pushToken: string },
): Promise<boolean> {
  const now = new Date().toISOString();
  const key = { ...r, passId: pass.id, now };
  const [inserted] = await runBatch(db, [
    insertRegistration(db, { id: newId("reg"), ...key }),
    insertEvent(db, { id: newId("evt"), passId: pass.id, type: "pass.installed", change: { wallet: "apple" }, now, afterChange: true }),
    refreshPushToken(db, key),
  ]);
  return inserted!.results.length === 1;
}

export async function unregisterDevice(db: Database, pass: PassRow, r: { device: string; passTypeId: string }): Promise<void> {
  const now = new Date().toISOString();
  await runBatch(db, [
    deleteRegistration(db, { ...r, passId: pass.id }),
    insertEvent(db, { id: newId("evt"), passId: pass.id, type: "pass.uninstalled", change: { wallet: "apple" }, now, afterChange: true }),
  ]);
}

/** `{serialNumbers, lastUpdated}` for passes changed since the tag, or null (204) when none. */
export async function changedPassesForDevice(db: Database, device: string, passTypeId: string, since: string | undefined) {
  const rows = await updatedSerialsForDevice(db, device, passTypeId, since);
  if (rows.length === 0) return null;
  return { serialNumbers: rows.map((r) => r.serial_number), lastUpdated: rows.at(-1)!.updated_at };
}

export async function recordDeviceLogs(db: Database, logs: string[]): Promise<void> {
  await runBatch(
    db,
    insertDeviceLogs(
      db,
      logs.slice(0, 50).map((message) => ({ id: newId("log"), message: message.slice(0, 2000) })),
    ),
  );
}
