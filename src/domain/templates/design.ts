/** What a template tells the wallet: look, layout, type-specific settings and scan security. */

import type { BarcodeFormat, TemplateType } from "../enums";

/** Apple's pass images; which of them a template's passes show depends on its type (wallet/apple/image-specs.ts). */
export const IMAGE_SLOTS = ["icon", "logo", "strip", "thumbnail", "background"] as const;
export type ImageSlot = (typeof IMAGE_SLOTS)[number];

/** The pass values a field can show. */
export const FIELD_VALUES = [
  "stamps",
  "points",
  "balance",
  "customer_name",
  "serial_number",
  "expires_at",
  "event_name",
  "event_venue",
  "event_starts_at",
  "metadata",
  "static",
] as const;
export type FieldValue = (typeof FIELD_VALUES)[number];

export interface FieldSpec {
  key: string;
  label: string | null;
  value: FieldValue;
  /** For `metadata`: which metadata key. */
  metadata_key?: string;
  /** For `static`: the text. */
  text?: string;
}

export const FIELD_AREAS = ["header", "primary", "secondary", "auxiliary", "back"] as const;
export type FieldLayout = Record<(typeof FIELD_AREAS)[number], FieldSpec[]>;

/** The upload a slot's images were made from: its hash versions their URLs. */
export interface StoredImage {
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  updated_at: string;
}

export interface ScanSecurity {
  signed_barcodes: boolean;
  /** null: no cooldown; 0: one check-in ever; 60–86400: seconds between check-ins. */
  cooldown_seconds: number | null;
  auto_stamp: boolean;
}

export interface TemplateDesign {
  organization_name: string | null;
  description: string | null;
  colors: { background: string | null; foreground: string | null; label: string | null };
  fields: FieldLayout;
  stamp_goal: number | null;
  currency: string | null;
  event: { name: string | null; venue: string | null; starts_at: string | null };
  expires_at: string | null;
  expires_after_days: number | null;
  barcode_format: BarcodeFormat;
  nfc_message: string | null;
  scan_security: ScanSecurity;
  /** Issuing a pass with a customer_email mails it to them ("Your card from {business}"). */
  email_on_issue: boolean;
  images: Partial<Record<ImageSlot, StoredImage>>;
}

/** Options added after templates were first stored, with the value older designs mean by leaving them out. */
const LATER_OPTIONS = { email_on_issue: false } as const;

/** A design as stored (possibly from before an option existed) → the whole design. */
export const completeDesign = (stored: Omit<TemplateDesign, keyof typeof LATER_OPTIONS> & Partial<TemplateDesign>): TemplateDesign => ({
  ...LATER_OPTIONS,
  ...stored,
});

/** Which pass values each type carries. Actions and fields outside these are refused. */
export const TYPE_CAPABILITIES: Record<TemplateType, { stamps: boolean; points: boolean; balance: boolean }> = {
  loyalty: { stamps: true, points: true, balance: false },
  gift_card: { stamps: false, points: false, balance: true },
  event_ticket: { stamps: false, points: false, balance: false },
  coupon: { stamps: false, points: false, balance: false },
  membership: { stamps: false, points: true, balance: false },
  generic: { stamps: false, points: false, balance: false },
};

const field = (key: string, label: string | null, value: FieldValue): FieldSpec => ({ key, label, value });

function defaultFields(type: TemplateType, stampGoal: number | null): FieldLayout {
  const holder = field("holder", "Name", "customer_name");
  const serial = field("serial", "Card number", "serial_number");
  switch (type) {
    case "loyalty":
      return {
        header: [],
        primary: [stampGoal ? field("stamps", "Stamps", "stamps") : field("points", "Points", "points")],
        secondary: [holder],
        auxiliary: [],
        back: [serial],
      };
    case "gift_card":
      return { header: [], primary: [field("balance", "Balance", "balance")], secondary: [holder], auxiliary: [], back: [serial] };
    case "event_ticket":
      return {
        header: [],
        primary: [field("event", "Event", "event_name")],
        secondary: [field("venue", "Venue", "event_venue"), field("starts", "Starts", "event_starts_at")],
        auxiliary: [holder],
        back: [serial],
      };
    case "membership":
      return { header: [], primary: [holder], secondary: [field("points", "Points", "points")], auxiliary: [], back: [serial] };
    case "coupon":
    case "generic":
      return { header: [], primary: [holder], secondary: [], auxiliary: [field("expires", "Expires", "expires_at")], back: [serial] };
  }
}

export function defaultDesign(type: TemplateType, business: { currency: string }, stampGoal: number | null = null): TemplateDesign {
  return {
    organization_name: null,
    description: null,
    colors: { background: null, foreground: null, label: null },
    fields: defaultFields(type, stampGoal),
    stamp_goal: stampGoal,
    currency: type === "gift_card" ? business.currency : null,
    event: { name: null, venue: null, starts_at: null },
    expires_at: null,
    expires_after_days: null,
    barcode_format: "qr",
    nfc_message: null,
    scan_security: { signed_barcodes: false, cooldown_seconds: type === "event_ticket" ? 0 : null, auto_stamp: false },
    email_on_issue: false,
    images: {},
  };
}
