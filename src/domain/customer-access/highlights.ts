import { TYPE_CAPABILITIES } from "../templates/design";
import type { CustomerPassView } from "./passes";

export interface Highlight {
  label: string;
  value: string;
}

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** The values a holder cares about, as they read them: "4 of 10" stamps, "£70.00", "1 Mar 2027". */
export function highlightsOf(pass: CustomerPassView): Highlight[] {
  const can = TYPE_CAPABILITIES[pass.type];
  const out: Highlight[] = [];
  const counts = can.stamps && (pass.stamp_goal !== null || pass.stamps > 0);
  if (counts) out.push({ label: "Stamps", value: pass.stamp_goal ? `${pass.stamps} of ${pass.stamp_goal}` : String(pass.stamps) });
  if (can.points && (pass.points > 0 || !counts)) out.push({ label: "Points", value: pass.points.toLocaleString("en-GB") });
  if (can.balance && pass.balance_formatted) out.push({ label: "Balance", value: pass.balance_formatted });
  if (pass.expires_at)
    out.push({ label: pass.status === "expired" ? "Expired" : "Expires", value: DATE.format(new Date(pass.expires_at)) });
  return out;
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A brand colour safe to put into CSS (stored colours are validated; this keeps anything else out). */
export const cssColor = (value: string | null, fallback: string) => (value && HEX.test(value) ? value : fallback);
