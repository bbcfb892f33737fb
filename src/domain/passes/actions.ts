import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  type Counter,
  findPassById,
  findPassByIdentifier,
  insertEvent,
  insertLedgerAfterChange,
  type PassRow,
  updatePassWhere,
  usableNow,
} from "../../db/passes";
import { runBatch } from "../../db/statements";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Principal } from "../../types";
import type { TemplateType } from "../enums";
import { toMajorUnits, toMinorUnits } from "../money";
import { TYPE_CAPABILITIES } from "../templates/design";
import { effectiveStatus, withArticle } from "./present";

export type PassAction =
  | { kind: "stamp"; count: number }
  | { kind: "points"; points: number }
  | { kind: "charge"; amount: string }
  | { kind: "topup"; amount: string }
  | { kind: "checkin" }
  | { kind: "redeem" }
  | { kind: "void" }
  | { kind: "reactivate" };

export async function resolvePass(db: Database, principal: Principal, identifier: string) {
  const row = await findPassByIdentifier(db, principal.businessId, principal.mode, identifier);
  if (!row) throw new ApiError("not_found", `Pass with identifier ${identifier} does not exist.`);
  return row;
}

interface Plan {
  set: SQL;
  condition: SQL;
  ledger?: { counter: Counter; delta: number };
  event: "pass.updated" | "pass.redeemed" | "pass.voided";
  change: Record<string, unknown>;
}

function requireCapability(type: TemplateType, counter: Counter, action: string): void {
  if (TYPE_CAPABILITIES[type][counter]) return;
  throw new ApiError("bad_request", `${withArticle(type)} pass has no ${counter}, so it cannot take ${action}`);
}

function positiveAmount(amount: string, currency: string): number {
  const minor = toMinorUnits(amount, currency, "amount");
  if (minor <= 0)
    throw new ApiError("validation_error", "amount must be positive", { fields: [{ path: "amount", message: "Must be greater than 0" }] });
  return minor;
}

/** Each action as one conditional UPDATE: the rules live in its WHERE clause, not in JavaScript. */
function planAction(pass: PassRow & { template_type: TemplateType }, action: PassAction, now: string): Plan {
  const usable = usableNow(now);
  switch (action.kind) {
    case "stamp":
      requireCapability(pass.template_type, "stamps", "stamps");
      return {
        set: sql`stamps = stamps + ${action.count}`,
        condition: usable,
        ledger: { counter: "stamps", delta: action.count },
        event: "pass.updated",
        change: { action: "stamp", count: action.count },
      };
    case "points":
      requireCapability(pass.template_type, "points", "points");
      return {
        set: sql`points = points + ${action.points}`,
        condition: usable,
        ledger: { counter: "points", delta: action.points },
        event: "pass.updated",
        change: { action: "points", points: action.points },
      };
    case "charge": {
      requireCapability(pass.template_type, "balance", "a charge");
      const minor = positiveAmount(action.amount, pass.currency!);
      return {
        set: sql`balance_minor = balance_minor - ${minor}`,
        condition: sql`${usable} AND balance_minor >= ${minor}`,
        ledger: { counter: "balance", delta: -minor },
        event: "pass.updated",
        change: { action: "charge", amount_minor: minor },
      };
    }
    case "topup": {
      requireCapability(pass.template_type, "balance", "a top-up");
      const minor = positiveAmount(action.amount, pass.currency!);
      return {
        set: sql`balance_minor = balance_minor + ${minor}`,
        condition: usable,
        ledger: { counter: "balance", delta: minor },
        event: "pass.updated",
        change: { action: "topup", amount_minor: minor },
      };
    }
    case "checkin": {
      // A ticket is spent by its check-in; other passes just record the visit.
      const ticket = pass.template_type === "event_ticket";
      return {
        set: ticket ? sql`status = 'checked_in', checked_in_at = ${now}` : sql`checked_in_at = ${now}`,
        condition: ticket ? sql`${usable} AND status = 'active'` : usable,
        event: "pass.updated",
        change: { action: "checkin" },
      };
    }
    case "redeem":
      return {
        set: sql`status = 'redeemed', redeemed_at = ${now}`,
        condition: usable,
        event: "pass.redeemed",
        change: { action: "redeem" },
      };
    case "void":
      return {
        set: sql`status = 'voided', voided_at = ${now}`,
        condition: sql`status != 'voided'`,
        event: "pass.voided",
        change: { action: "void" },
      };
    case "reactivate":
      return {
        set: sql`status = 'active', reactivated_at = ${now}`,
        condition: sql`status IN ('voided', 'redeemed', 'checked_in') AND (expires_at IS NULL OR expires_at > ${now})`,
        event: "pass.updated",
        change: { action: "reactivate" },
      };
  }
}

/** Why the conditional update matched nothing, in the words a merchant needs. */
function refusal(current: PassRow, action: PassAction, now: string): ApiError {
  const status = effectiveStatus(current, now);
  const name = `Pass ${current.serial_number}`;
  if (action.kind === "void") return new ApiError("conflict", `${name} is already voided`);
  if (action.kind === "reactivate") {
    if (status === "expired") return new ApiError("conflict", `${name} expired at ${current.expires_at} and cannot be reactivated`);
    return new ApiError("conflict", `${name} is already active`);
  }
  if (status === "voided") return new ApiError("conflict", `${name} is voided; reactivate it first`);
  if (status === "redeemed") return new ApiError("conflict", `${name} has already been redeemed`);
  if (status === "expired") return new ApiError("conflict", `${name} expired at ${current.expires_at}`);
  if (action.kind === "checkin" && current.status === "checked_in")
    return new ApiError("conflict", `${name} is already checked in (at ${current.checked_in_at})`);
  if (action.kind === "charge" && current.balance_minor !== null && current.currency) {
    const available = toMajorUnits(current.balance_minor, current.currency);
    return new ApiError("bad_request", `Insufficient balance: ${available} ${current.currency} available, ${action.amount} requested`);
  }
  return new ApiError("conflict", `${name} cannot take this action now`);
}

/**
 * Applies an action: one conditional UPDATE, its ledger row and its event row, in one D1
 * batch. Concurrent actions serialise in SQLite; each sees the others' effects.
 */
export async function applyAction(db: Database, principal: Principal, identifier: string, action: PassAction): Promise<PassRow> {
  const pass = await resolvePass(db, principal, identifier);
  const now = new Date().toISOString();
  const plan = planAction(pass, action, now);
  const update = updatePassWhere(db, pass.id, plan.set, plan.condition, now);
  const event = insertEvent(db, { id: newId("evt"), passId: pass.id, type: plan.event, change: plan.change, now, afterChange: true });
  const ledger = plan.ledger
    ? [
        insertLedgerAfterChange(db, {
          id: newId("led"),
          passId: pass.id,
          counter: plan.ledger.counter,
          delta: plan.ledger.delta,
          reason: action.kind,
          now,
        }),
      ]
    : [];
  const [result] = await runBatch(db, [update, ...ledger, event]);
  const updated = result!.results[0] as PassRow | undefined;
  if (updated) return updated;
  const current = await findPassById(db, principal.businessId, principal.mode, pass.id);
  if (!current) throw new ApiError("not_found", `Pass with identifier ${identifier} does not exist.`);
  throw refusal(current, action, now);
}
