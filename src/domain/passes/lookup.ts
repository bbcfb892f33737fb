import type { Database } from "../../db/client";
import { listPassEvents } from "../../db/events";
import { findPassByExternalId, findPassesByEmail, listPasses, type PassFilter } from "../../db/passes";
import { ApiError } from "../../lib/errors";
import { toPage } from "../../lib/pagination";
import type { Principal } from "../../types";
import { toMajorUnits } from "../money";
import { resolvePass } from "./actions";
import { presentPass } from "./present";

export async function getPass(db: Database, principal: Principal, origin: string, identifier: string) {
  return presentPass(await resolvePass(db, principal, identifier), origin);
}

export async function passesByEmail(db: Database, principal: Principal, origin: string, email: string) {
  return (await findPassesByEmail(db, principal.businessId, principal.mode, email.trim())).map((row) => presentPass(row, origin));
}

export async function passByExternalId(db: Database, principal: Principal, origin: string, externalId: string) {
  const row = await findPassByExternalId(db, principal.businessId, principal.mode, externalId);
  if (!row) throw new ApiError("not_found", `Pass with external_id ${externalId} does not exist.`);
  return presentPass(row, origin);
}

export async function listPassPage(db: Database, principal: Principal, origin: string, filter: Omit<PassFilter, "now">) {
  const rows = await listPasses(db, principal.businessId, principal.mode, { ...filter, now: new Date().toISOString() });
  return toPage(rows, filter.limit, (row) => presentPass(row, origin));
}

/** A pass's history, newest first. Balances in event snapshots are shown in major units. */
export async function passEvents(db: Database, principal: Principal, identifier: string, page: { cursor?: string; limit: number }) {
  const pass = await resolvePass(db, principal, identifier);
  const rows = await listPassEvents(db, pass.id, page);
  return toPage(rows, page.limit, (row) => {
    const { balance_minor, amount_minor, ...snapshot } = JSON.parse(row.data) as Record<string, unknown>;
    const currency = snapshot.currency as string | null;
    const major = (minor: unknown) => (typeof minor === "number" && currency ? toMajorUnits(minor, currency) : null);
    return {
      id: row.id,
      type: row.type,
      created_at: row.created_at,
      data: { ...snapshot, balance: major(balance_minor), ...(amount_minor !== undefined ? { amount: major(amount_minor) } : {}) },
    };
  });
}
