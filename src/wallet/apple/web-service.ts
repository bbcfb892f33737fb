import {
  deleteRegistration,
  indexDeviceShard,
  insertDeviceLogs,
  insertRegistration,
  refreshPushToken,
  shardsForDevice,
  updatedSerialsForDevice,
} from "../../db/apple-registrations";
import type { Database } from "../../db/client";
import { insertPassEvent } from "../../db/events";
import type { PassRow } from "../../db/passes";
import { openTenant } from "../../db/shards";
import { runBatch } from "../../db/statements";
import type { Tenant } from "../../db/tenant";
import type { Env } from "../../env";
import { timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { findPassBySerialAnywhere } from "../context";

/**
 * The PassKit web service's rules. Wallet authenticates each pass with `ApplePass <token>`, the
 * per-pass authenticationToken we put in pass.json; `token` is that header's value.
 */
export async function authenticatePassRequest(
  env: Env,
  control: Database,
  request: { expectedPassTypeId: string; passTypeId: string; serial: string; token: string | undefined },
): Promise<{ tenant: Tenant; pass: PassRow }> {
  const found =
    request.passTypeId === request.expectedPassTypeId ? await findPassBySerialAnywhere(env, control, request.serial) : undefined;
  // One answer for unknown pass and wrong token: the token is the only proof of possession.
  if (!found || !request.token || !timingSafeEqual(request.token, found.pass.auth_token)) {
    throw new ApiError("unauthorized", "Invalid ApplePass authorization");
  }
  return found;
}

/** Registers a device for a pass's pushes; true when new (201), false when already known (200). */
export async function registerDevice(
  tenant: Tenant,
  pass: PassRow,
  r: { device: string; passTypeId: string; pushToken: string },
): Promise<boolean> {
  // The device index comes first, so a device's shards are never missing from it.
  await indexDeviceShard(tenant.control, { device: r.device, passTypeId: r.passTypeId, shard: tenant.shard }).run();
  const now = new Date().toISOString();
  const key = { ...r, passId: pass.id, now };
  const batch = tenant.batch();
  const inserted = batch.add(insertRegistration(tenant.db, { id: newId("reg"), ...key }));
  batch.add(
    insertPassEvent(tenant.db, {
      id: newId("evt"),
      passId: pass.id,
      type: "pass.installed",
      change: { wallet: "apple" },
      now,
      afterChange: true,
    }),
  );
  batch.add(refreshPushToken(tenant.db, key));
  await batch.run();
  return inserted.rows().length === 1;
}

export async function unregisterDevice(tenant: Tenant, pass: PassRow, r: { device: string; passTypeId: string }): Promise<void> {
  const now = new Date().toISOString();
  const batch = tenant.batch();
  batch.add(deleteRegistration(tenant.db, { ...r, passId: pass.id }));
  batch.add(
    insertPassEvent(tenant.db, {
      id: newId("evt"),
      passId: pass.id,
      type: "pass.uninstalled",
      change: { wallet: "apple" },
      now,
      afterChange: true,
    }),
  );
  await batch.run();
}

/** `{serialNumbers, lastUpdated}` for the device's passes changed since the tag, across its shards; null (204) when none. */
export async function changedPassesForDevice(env: Env, control: Database, device: string, passTypeId: string, since: string | undefined) {
  const shards = await shardsForDevice(control, device, passTypeId);
  const perShard = await Promise.all(
    shards.map(({ shard }) => updatedSerialsForDevice(openTenant(env, shard, control).db, device, passTypeId, since)),
  );
  const rows = perShard.flat().sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : 0));
  if (rows.length === 0) return null;
  return { serialNumbers: rows.map((r) => r.serial_number), lastUpdated: rows.at(-1)!.updated_at };
}

export async function recordDeviceLogs(control: Database, logs: string[]): Promise<void> {
  await runBatch(
    control,
    insertDeviceLogs(
      control,
      logs.slice(0, 50).map((message) => ({ id: newId("log"), message: message.slice(0, 2000) })),
    ),
  );
}
