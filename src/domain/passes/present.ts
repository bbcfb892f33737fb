import type { PassRow } from "../../db/passes";
import type { PassStatus } from "../enums";
import { toMajorUnits } from "../money";

/** A pass past its expiry reads as `expired` without a sweep having to rewrite it. */
export function effectiveStatus(row: Pick<PassRow, "status" | "expires_at">, now = new Date().toISOString()): PassStatus {
  if ((row.status === "active" || row.status === "checked_in") && row.expires_at !== null && row.expires_at <= now) return "expired";
  return row.status;
}

export function downloadUrl(origin: string, row: Pick<PassRow, "serial_number" | "download_token">): string {
  return `${origin}/pass/${row.serial_number}/${row.download_token}`;
}

/** The pass object every pass endpoint returns (the reference's fields, plus the action timestamps). */
export function presentPass(row: PassRow, origin: string) {
  return {
    id: row.id,
    serial_number: row.serial_number,
    template_id: row.template_id,
    customer_name: row.customer_name,
    customer_email: row.customer_email,
    external_id: row.external_id,
    status: effectiveStatus(row),
    points: row.points,
    balance: row.balance_minor === null || row.currency === null ? null : toMajorUnits(row.balance_minor, row.currency),
    currency: row.currency,
    stamps: row.stamps,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    barcode_data: row.barcode_data,
    nfc_data: row.nfc_data,
    download_url: downloadUrl(origin, row),
    expires_at: row.expires_at,
    checked_in_at: row.checked_in_at,
    redeemed_at: row.redeemed_at,
    voided_at: row.voided_at,
    reactivated_at: row.reactivated_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export type PassView = ReturnType<typeof presentPass>;

/** "an event ticket", "a gift card": template types in messages. */
export function withArticle(type: string): string {
  const words = type.replace("_", " ");
  return `${/^[aeiou]/.test(words) ? "An" : "A"} ${words}`;
}

/** Why a voided, redeemed or expired pass takes no action, in the words a merchant needs. */
export function unusableMessage(row: Pick<PassRow, "serial_number" | "expires_at">, status: "voided" | "redeemed" | "expired"): string {
  const name = `Pass ${row.serial_number}`;
  if (status === "voided") return `${name} is voided; reactivate it first`;
  if (status === "redeemed") return `${name} has already been redeemed`;
  return `${name} expired at ${row.expires_at}`;
}
