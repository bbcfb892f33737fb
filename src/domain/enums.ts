/**
 * The closed sets of values shared by the API schemas, the database schema, the domain and the
 * wallets. Each is written once, here; the zod enums, drizzle column enums and types derive from it.
 */

export const MODES = ["live", "test"] as const;
export type Mode = (typeof MODES)[number];

export const PLAN_NAMES = ["free", "pro"] as const;
export type Plan = (typeof PLAN_NAMES)[number];

export const ROLES = ["owner", "admin", "staff"] as const;
export type Role = (typeof ROLES)[number];

/** What an API key may be limited to; a key without scopes gets all of them. */
export const API_KEY_SCOPES = ["passes:read", "passes:write", "scan", "templates:write", "webhooks:write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const TEMPLATE_TYPES = ["loyalty", "gift_card", "event_ticket", "coupon", "membership", "generic"] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

export const TEMPLATE_STATUSES = ["active", "archived"] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const BARCODE_FORMATS = ["qr", "pdf417", "aztec", "code128"] as const;
export type BarcodeFormat = (typeof BARCODE_FORMATS)[number];

/** What the database stores; `expired` is derived from `expires_at` when a pass is read. */
export const STORED_PASS_STATUSES = ["active", "checked_in", "redeemed", "voided"] as const;
export type StoredPassStatus = (typeof STORED_PASS_STATUSES)[number];

export const PASS_STATUSES = [...STORED_PASS_STATUSES, "expired"] as const;
export type PassStatus = (typeof PASS_STATUSES)[number];

/** What a merchant's webhook endpoint may subscribe to (the reference's list). */
export const WEBHOOK_EVENT_TYPES = [
  "pass.created",
  "pass.updated",
  "pass.redeemed",
  "pass.voided",
  "pass.scanned",
  "pass.installed",
  "pass.uninstalled",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Changes that are not about one pass but change how many look: fanned out to every pass they touch. */
export const LOOK_EVENT_TYPES = ["template.updated", "business.updated"] as const;
export type LookEventType = (typeof LOOK_EVENT_TYPES)[number];

/** Sent to one endpoint when its merchant asks for a test delivery. */
export const PING_EVENT = "ping";

/** A customer asked for a sign-in link: not about any business, so it lives in the control database's outbox. */
export const MAGIC_LINK_EVENT = "customer.magic_link_requested";

export type EventType = WebhookEventType | LookEventType | typeof PING_EVENT | typeof MAGIC_LINK_EVENT;

/** Events after which the pass on the phone must change: a wallet update follows each. */
export const WALLET_EVENT_TYPES: readonly EventType[] = ["pass.created", "pass.updated", "pass.redeemed", "pass.voided"];

/** What PassLite mails: a customer's sign-in link, and a new pass to its holder. */
export const EMAIL_KINDS = ["magic_link", "pass_issued"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** A scan either reads the pass (verify) or checks it in. */
export const SCAN_ACTIONS = ["verify", "checkin"] as const;
export type ScanAction = (typeof SCAN_ACTIONS)[number];

/**
 * What a scan came to: the pass was checked in; it is valid (verify, nothing changed); it is not
 * valid (signature, voided, redeemed, expired); or its check-in was blocked by the cooldown.
 */
export const SCAN_RESULTS = ["checked_in", "valid", "invalid", "blocked"] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

/** Why a pass is not valid, or why its check-in is refused. */
export const SCAN_REASONS = ["invalid_signature", "voided", "redeemed", "expired", "already_checked_in", "cooldown"] as const;
export type ScanReason = (typeof SCAN_REASONS)[number];
