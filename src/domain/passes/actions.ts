import { insertPassEvent } from "../../db/events";
import { insertLedgerAfterChange } from "../../db/ledger";
import {
  type Counter,
  findPassById,
  findPassByIdentifier,
  type PassRow,
  type PassUpdate,
  type PassWithType,
  passUpdates,
  updatePass,
} from "../../db/passes";
import type { Tenant } from "../../db/tenant";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Principal } from "../../types";
import type { TemplateType } from "../enums";
import { toMajorUnits, toMinorUnits } from "../money";
import { checkInPass } from "../scans";
import { TYPE_CAPABILITIES } from "../templates/design";
import { AMOUNT_MAX_MINOR, COUNTER_MAX, pastMaximum } from "./limits";
import { effectiveStatus, unusableMessage, withArticle } from "./present";

export type PassAction =
  | { kind: "stamp"; count: number }
  | { kind: "points"; points: number }
  | { kind: "charge"; amount: string }
  | { kind: "topup"; amount: string }
  | { kind: "checkin" }
  | { kind: "redeem" }
  | { kind: "void" }
  | { kind: "reactivate" }
  | { kind: "rotate_barcode" };

export async function resolvePass(tenant: Tenant, principal: Principal, identifier: string): Promise<PassWithType> {
  const row = await findPassByIdentifier(tenant.db, principal.businessId, principal.mode, identifier);
  if (!row) throw new ApiError("not_found", `Pass with identifier ${identifier} does not exist.`);
  return row;
}

/** An action decided: the conditional update, the ledger movement it makes, and the event it emits. */
interface ActionPlan {
  update: PassUpdate;
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
  if (minor > AMOUNT_MAX_MINOR) {
    const message = `amount must be at most ${toMajorUnits(AMOUNT_MAX_MINOR, currency)} ${currency}`;
    throw new ApiError("validation_error", message, { fields: [{ path: "amount", message }] });
  }
  return minor;
}

/** The query parameter that carried each counter's delta, for naming it in a refusal. */
const DELTA_FIELD: Record<Counter, string> = { balance: "amount", points: "points", stamps: "count" };

/** What each action does; the rules themselves are the WHERE clauses of `passUpdates`. Check-ins are scans (domain/scans). */
function planAction(pass: PassWithType, action: Exclude<PassAction, { kind: "checkin" }>, now: string): ActionPlan {
  switch (action.kind) {
    case "stamp":
      requireCapability(pass.template_type, "stamps", "stamps");
      return {
        update: passUpdates.add("stamps", action.count, COUNTER_MAX.stamps, now),
        ledger: { counter: "stamps", delta: action.count },
        event: "pass.updated",
        change: { action: "stamp", count: action.count },
      };
    case "points":
      requireCapability(pass.template_type, "points", "points");
      return {
        update: passUpdates.add("points", action.points, COUNTER_MAX.points, now),
        ledger: { counter: "points", delta: action.points },
        event: "pass.updated",
        change: { action: "points", points: action.points },
      };
    case "charge": {
      requireCapability(pass.template_type, "balance", "a charge");
      const minor = positiveAmount(action.amount, pass.currency!);
      return {
        update: passUpdates.charge(minor, now),
        ledger: { counter: "balance", delta: -minor },
        event: "pass.updated",
        change: { action: "charge", amount_minor: minor },
      };
    }
    case "topup": {
      requireCapability(pass.template_type, "balance", "a top-up");
      const minor = positiveAmount(action.amount, pass.currency!);
      return {
        update: passUpdates.add("balance", minor, COUNTER_MAX.balance, now),
        ledger: { counter: "balance", delta: minor },
        event: "pass.updated",
        change: { action: "topup", amount_minor: minor },
      };
    }
    case "redeem":
      return { update: passUpdates.redeem(now), event: "pass.redeemed", change: { action: "redeem" } };
    case "void":
      return { update: passUpdates.void(now), event: "pass.voided", change: { action: "void" } };
    case "reactivate":
      return { update: passUpdates.reactivate(now), event: "pass.updated", change: { action: "reactivate" } };
    case "rotate_barcode":
      return { update: passUpdates.rotateBarcode(), event: "pass.updated", change: { action: "rotate_barcode" } };
  }
}

/** Why the conditional update matched nothing, in the words a merchant needs. */
function refusal(current: PassRow, action: PassAction, plan: ActionPlan, now: string): ApiError {
  const status = effectiveStatus(current, now);
  const name = `Pass ${current.serial_number}`;
  if (action.kind === "void") return new ApiError("conflict", `${name} is already voided`);
  if (action.kind === "reactivate") {
    if (status === "expired") return new ApiError("conflict", `${name} expired at ${current.expires_at} and cannot be reactivated`);
    return new ApiError("conflict", `${name} is already active`);
  }
  if (status === "voided" || status === "redeemed" || status === "expired")
    return new ApiError("conflict", unusableMessage(current, status));
  if (plan.ledger && plan.ledger.delta > 0) {
    const { counter, delta } = plan.ledger;
    const value = (counter === "balance" ? current.balance_minor : current[counter]) ?? 0;
    if (value > COUNTER_MAX[counter] - delta) return pastMaximum(counter, current.currency, DELTA_FIELD[counter]);
  }
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
export async function applyAction(tenant: Tenant, principal: Principal, identifier: string, action: PassAction): Promise<PassRow> {
  if (action.kind === "checkin") return checkInPass(tenant, principal, identifier);
  const pass = await resolvePass(tenant, principal, identifier);
  const now = new Date().toISOString();
  const plan = planAction(pass, action, now);
  const batch = tenant.batch();
  const updated = batch.add(updatePass(tenant.db, pass.id, plan.update, now));
  if (plan.ledger) {
    const { counter, delta } = plan.ledger;
    batch.add(insertLedgerAfterChange(tenant.db, { id: newId("led"), passId: pass.id, counter, delta, reason: action.kind, now }));
  }
  batch.addEvent(
    insertPassEvent(tenant.db, { id: newId("evt"), passId: pass.id, type: plan.event, change: plan.change, now, afterChange: true }),
  );
  await batch.run();
  const row = updated.first<PassRow>();
  if (row) return row;
  const current = await findPassById(tenant.db, principal.businessId, principal.mode, pass.id);
  if (!current) throw new ApiError("not_found", `Pass with identifier ${identifier} does not exist.`);
  throw refusal(current, action, plan, now);
}
