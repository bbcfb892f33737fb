import type { Counter } from "../../db/passes";
import { ApiError } from "../../lib/errors";
import { toMajorUnits } from "../money";

/**
 * The most one pass may hold. Far inside SQLite's 64-bit integers and JSON's exact integers
 * (2^53), so no stored value, no conditional update and no ledger sum over a business can overflow;
 * points stay within Google Wallet's 32-bit loyalty balance, and a balance within its int64 micros.
 */
export const COUNTER_MAX: Record<Counter, number> = { balance: 10 ** 12, points: 10 ** 9, stamps: 100_000 };

/** The most one charge or top-up may move, in minor units. */
export const AMOUNT_MAX_MINOR = 10 ** 9;
/** The most one action may add. */
export const POINTS_PER_ACTION_MAX = 10 ** 9;
export const STAMPS_PER_ACTION_MAX = 100;

function maximumText(counter: Counter, currency: string | null): string {
  if (counter === "balance") return `the maximum balance of ${toMajorUnits(COUNTER_MAX.balance, currency!)} ${currency}`;
  return `the maximum of ${COUNTER_MAX[counter]} ${counter}`;
}

/** 422 for a change that would take a pass's counter past its maximum, naming the field that asked for it. */
export function pastMaximum(counter: Counter, currency: string | null, field: string = counter): ApiError {
  const message = `This would take the pass past ${maximumText(counter, currency)}`;
  return new ApiError("validation_error", message, { fields: [{ path: field, message }] });
}
