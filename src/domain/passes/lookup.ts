import { listPassEvents } from "../../db/events";
import {
  findPassByExternalId,
  findPassesByEmail,
  listPasses,
  type PassListQuery,
  passCursor,
  passCursorParts,
  passListOrder,
} from "../../db/passes";
import { listScans } from "../../db/scans";
import type { Tenant } from "../../db/tenant";
import { ApiError } from "../../lib/errors";
import { decodeCursor, encodeCursor, toPage } from "../../lib/pagination";
import type { Principal } from "../../types";
import { presentEventData } from "../events";
import { presentScan } from "../scans";
import { resolvePass } from "./actions";
import { presentPass } from "./present";

export async function getPass(tenant: Tenant, principal: Principal, origin: string, identifier: string) {
  return presentPass(await resolvePass(tenant, principal, identifier), origin);
}

export async function passesByEmail(tenant: Tenant, principal: Principal, origin: string, email: string) {
  return (await findPassesByEmail(tenant.db, principal.businessId, principal.mode, email.trim())).map((row) => presentPass(row, origin));
}

export async function passByExternalId(tenant: Tenant, principal: Principal, origin: string, externalId: string) {
  const row = await findPassByExternalId(tenant.db, principal.businessId, principal.mode, externalId);
  if (!row) throw new ApiError("not_found", `Pass with external_id ${externalId} does not exist.`);
  return presentPass(row, origin);
}

export type PassListFilter = Omit<PassListQuery, "after" | "now"> & { cursor?: string };

export async function listPassPage(tenant: Tenant, principal: Principal, origin: string, filter: PassListFilter) {
  const { cursor, ...query } = filter;
  const order = passListOrder(query);
  const after = cursor === undefined ? undefined : decodeCursor(cursor, passCursorParts(order));
  if (cursor !== undefined && !after) {
    throw new ApiError("validation_error", "cursor is not a cursor from this list", {
      fields: [{ path: "cursor", message: "Pass back next_cursor from the previous page, with the same filters" }],
    });
  }
  const rows = await listPasses(tenant.db, principal.businessId, principal.mode, order, { ...query, after, now: new Date().toISOString() });
  return toPage(
    rows,
    filter.limit,
    (row) => presentPass(row, origin),
    (row) => encodeCursor(passCursor(order, row)),
  );
}

/** A pass's history, newest first. Balances in event snapshots are shown in major units. */
export async function passEvents(tenant: Tenant, principal: Principal, identifier: string, page: { cursor?: string; limit: number }) {
  const pass = await resolvePass(tenant, principal, identifier);
  const rows = await listPassEvents(tenant.db, pass.id, page);
  return toPage(
    rows,
    page.limit,
    (row) => ({ id: row.id, type: row.type, created_at: row.created_at, data: presentEventData(row) }),
    (row) => row.id,
  );
}

/** A pass's scans, newest first: who scanned it, from where, and what came of it. */
export async function passScans(tenant: Tenant, principal: Principal, identifier: string, page: { cursor?: string; limit: number }) {
  const pass = await resolvePass(tenant, principal, identifier);
  const rows = await listScans(tenant.db, pass.id, page);
  return toPage(rows, page.limit, presentScan, (row) => row.id);
}
