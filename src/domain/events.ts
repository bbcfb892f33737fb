import type { EventRow } from "../db/events";
import { toMajorUnits } from "./money";

/**
 * An event as merchants see it, in its pass history and in webhooks: the pass as the change left
 * it, with money in major units (`balance`, and `amount` for charges and top-ups).
 */
export function presentEventData(row: Pick<EventRow, "data">): Record<string, unknown> {
  const { balance_minor, amount_minor, ...snapshot } = JSON.parse(row.data) as Record<string, unknown>;
  const currency = snapshot.currency as string | null;
  const major = (minor: unknown) => (typeof minor === "number" && currency ? toMajorUnits(minor, currency) : null);
  return {
    ...snapshot,
    ...(balance_minor !== undefined ? { balance: major(balance_minor) } : {}),
    ...(amount_minor !== undefined ? { amount: major(amount_minor) } : {}),
  };
}
