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
import type { DataContext } from "../../db/data-context";
import { insertPassEvent } from "../../db/events";
import type { PassRow } from "../../db/passes";
import { runBatch } from "../../db/statements";
import type { Tenant } from "../../db/tenant";
import { timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { findPassBySerialAnywhere } from "../context";

/**
 * The PassKit web service's rules. Wallet authenticates each pass with `ApplePass <token>`, the
 * per-pass authenticationToken we put in pass.json; `token` is that header's value.
 */
export async function authenticatePassRequest(
  data: DataContext,
  request: { expectedPassTypeId: string; passTypeId: string; serial: string; token: string | undefined },
): Promise<{ tenant: Tenant; pass: PassRow }> {
  const found = request.passTypeId === request.expectedPassTypeId ? await findPassBySerialAnywhere(data, request.serial) : undefined;
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
  batch.addEvent(
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
  batch.addEvent(
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

/**
 * PassKit's `passesUpdatedSince` tag is ours to define: each of the device's shards with the change
 * number it had reached ("DB:1042,DB_SHARD_1:77"). Change numbers only grow, so a pass that
 * changed after the device last asked — in the same second or not — is always listed. A tag we
 * cannot read (an older format) lists everything again, which costs a refresh, never a miss.
 */
const parseTag = (tag: string | undefined) =>
  new Map(
    (tag ?? "").split(",").flatMap((part) => {
      const match = /^([A-Z][A-Z0-9_]*):(\d+)$/.exec(part);
      return match ? [[match[1]!, Number(match[2])] as const] : [];
    }),
  );

/** `{serialNumbers, lastUpdated}` for the device's passes changed since the tag, across its shards; null (204) when none. */
export async function changedPassesForDevice(data: DataContext, device: string, passTypeId: string, since: string | undefined) {
  const seen = parseTag(since);
  const shards = await shardsForDevice(data.control, device, passTypeId);
  const perShard = await Promise.all(
    shards.map(async ({ shard }) => ({
      shard,
      rows: await updatedSerialsForDevice(data.tenant(shard).db, device, passTypeId, seen.get(shard) ?? 0),
    })),
  );
  const serialNumbers = perShard.flatMap((s) => s.rows.map((r) => r.serial_number));
  if (serialNumbers.length === 0) return null;
  const reached = new Map(seen);
  for (const { shard, rows } of perShard) if (rows.length > 0) reached.set(shard, rows.at(-1)!.change_seq);
  const lastUpdated = [...reached].map(([shard, seq]) => `${shard}:${seq}`).join(",");
  return { serialNumbers, lastUpdated };
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
