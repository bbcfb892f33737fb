import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  type ApiKeyScope,
  EMAIL_KINDS,
  MODES,
  PLAN_NAMES,
  ROLES,
  SCAN_ACTIONS,
  SCAN_REASONS,
  SCAN_RESULTS,
  STORED_PASS_STATUSES,
  TEMPLATE_STATUSES,
  TEMPLATE_TYPES,
} from "../domain/enums";
import type { TemplateDesign } from "../domain/templates/design";

// Timestamps are ISO-8601 UTC strings: they sort as text and are what the API returns.
const createdAt = () => text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

/*
 * Every D1 database gets this whole schema (one set of migrations), but holds only part of it:
 *  - the control database (binding DB) holds accounts, businesses — with the shard each one lives
 *    on — API keys and the global indexes (customer emails);
 *  - each shard (DB itself, DB_SHARD_1, …) holds its businesses' templates, passes, ledger, events
 *    and wallet registrations. Tenant tables therefore carry business_id without a foreign key:
 *    the business row lives in another database.
 */

export const businesses = sqliteTable(
  "businesses",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The D1 binding that holds this business's data (the shard map). */
    shard: text("shard").notNull().default("DB"),
    /** Five Crockford characters every serial of this business starts with: serial → business → shard. */
    serialPrefix: text("serial_prefix"),
    plan: text("plan", { enum: PLAN_NAMES }).notNull().default("free"),
    timezone: text("timezone").notNull().default("UTC"),
    currency: text("currency").notNull().default("GBP"),
    brandBackground: text("brand_background"),
    brandForeground: text("brand_foreground"),
    brandLabel: text("brand_label"),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("businesses_serial_prefix").on(t.serialPrefix)],
);

/** Global index for customer access: which businesses hold live passes for an email (SHA-256 of it, normalised). */
export const customerEmails = sqliteTable(
  "customer_emails",
  {
    emailHash: text("email_hash").notNull(),
    businessId: text("business_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.emailHash, t.businessId] })],
);

/**
 * Customer access (control database): each email's token generation. Customer tokens carry the
 * generation they were minted in; logging out everywhere moves it on, so every earlier token fails.
 */
export const customerGenerations = sqliteTable("customer_generations", {
  emailHash: text("email_hash").primaryKey(),
  generation: integer("generation").notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** Development only (no email provider configured): the mail that would have been sent, for `GET /dev/outbox`. */
export const devOutbox = sqliteTable("dev_outbox", {
  id: text("id").primaryKey(),
  recipient: text("recipient").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  createdAt: createdAt(),
});

/** Global index for the PassKit web service: which shards hold a device's registrations. */
export const appleDevices = sqliteTable(
  "apple_devices",
  {
    deviceLibraryId: text("device_library_id").notNull(),
    passTypeId: text("pass_type_id").notNull(),
    shard: text("shard").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceLibraryId, t.passTypeId, t.shard] })],
);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    /** Null while the invitation has not been accepted. */
    userId: text("user_id").references(() => users.id),
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    inviteTokenHash: text("invite_token_hash"),
    /** An invitation not accepted by then is void (7 days after it was sent). */
    inviteExpiresAt: text("invite_expires_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_business_email").on(t.businessId, t.email),
    index("memberships_user").on(t.userId),
    uniqueIndex("memberships_invite_token").on(t.inviteTokenHash),
  ],
);

export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    tokenHash: text("token_hash").notNull(),
    /** The sign-in this token descends from: rotation keeps it, and access tokens carry it as `sid`. Null before sessions had ids. */
    sessionId: text("session_id"),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("refresh_tokens_hash").on(t.tokenHash)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    name: text("name").notNull(),
    mode: text("mode", { enum: MODES }).notNull(),
    prefix: text("prefix", { enum: ["pb_live_", "pb_test_"] }).notNull(),
    last4: text("last4").notNull(),
    /** SHA-256 of the whole key: the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<ApiKeyScope[]>().notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_business").on(t.businessId)],
);

/** Mode columns keep test-mode objects invisible to live credentials, as in Stripe. */
const mode = () => text("mode", { enum: MODES }).notNull();

export const templates = sqliteTable(
  "templates",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    name: text("name").notNull(),
    type: text("type", { enum: TEMPLATE_TYPES }).notNull(),
    /** archived: kept for its passes, closed to new ones. */
    status: text("status", { enum: TEMPLATE_STATUSES }).notNull().default("active"),
    /** Everything a wallet pass needs, validated by the template schema (see domain/templates). */
    design: text("design", { mode: "json" }).$type<TemplateDesign>().notNull(),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("templates_business").on(t.businessId, t.mode, t.status)],
);

export const passes = sqliteTable(
  "passes",
  {
    id: text("id").primaryKey(),
    /** Creation order within the shard, and the rowid of the pass's search entry (passes_fts). */
    seq: integer("seq").notNull(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    templateId: text("template_id")
      .notNull()
      .references(() => templates.id),
    serialNumber: text("serial_number").notNull(),
    externalId: text("external_id"),
    customerName: text("customer_name"),
    customerEmail: text("customer_email"),
    /** Lower-cased email: lookups are case-insensitive, across businesses for customer access. */
    emailNormalized: text("email_normalized"),
    status: text("status", { enum: STORED_PASS_STATUSES }).notNull().default("active"),
    points: integer("points").notNull().default(0),
    stamps: integer("stamps").notNull().default(0),
    /** Integer minor units of `currency`; null for passes without stored value. */
    balanceMinor: integer("balance_minor"),
    currency: text("currency"),
    barcodeData: text("barcode_data"),
    nfcData: text("nfc_data"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** Secret part of the download link (≥128 bits), and the Apple web-service token. */
    downloadToken: text("download_token").notNull(),
    authToken: text("auth_token").notNull(),
    /** Bumped on every change: wallet updates and caches key off it. */
    version: integer("version").notNull().default(1),
    /**
     * The shard's change counter when the pass last changed (its data, or its template's or
     * business's look): PassKit's passesUpdatedSince tags compare these, so a change is never
     * missed the way a time with second resolution could miss one.
     */
    changeSeq: integer("change_seq").notNull().default(0),
    /** Part of the signed barcode: bumping it re-issues this pass's barcode alone. */
    barcodeKeyVersion: integer("barcode_key_version").notNull().default(1),
    expiresAt: text("expires_at"),
    /** The latest check-in: a cooldown window runs from it. */
    checkedInAt: text("checked_in_at"),
    /** The first check-in since issue (or since reactivating a checked-in pass): a one-time cooldown is spent by it. */
    firstCheckedInAt: text("first_checked_in_at"),
    redeemedAt: text("redeemed_at"),
    voidedAt: text("voided_at"),
    reactivatedAt: text("reactivated_at"),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("passes_serial").on(t.serialNumber),
    uniqueIndex("passes_seq").on(t.seq),
    uniqueIndex("passes_external_id").on(t.businessId, t.mode, t.externalId),
    // A scanned barcode_data names one pass: the scan finds it through this index.
    uniqueIndex("passes_barcode_data").on(t.businessId, t.mode, t.barcodeData),
    // One index per list filter and order, so a page reads a page of rows whatever the business's size.
    index("passes_business_mode").on(t.businessId, t.mode, t.id),
    index("passes_status").on(t.businessId, t.mode, t.status, t.id),
    index("passes_template").on(t.templateId, t.id),
    index("passes_email").on(t.businessId, t.mode, t.emailNormalized, t.id),
    index("passes_updated").on(t.businessId, t.mode, t.updatedAt, t.id),
    index("passes_expires").on(t.businessId, t.mode, t.expiresAt, t.id),
    index("passes_change_seq").on(t.changeSeq),
  ],
);

/** Append-only: every change of balance, points or stamps. Their sums equal the pass's values. */
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    passId: text("pass_id")
      .notNull()
      .references(() => passes.id),
    kind: text("kind", { enum: ["balance", "points", "stamps"] }).notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("ledger_pass").on(t.passId, t.id)],
);

/**
 * Every scan of a pass, allowed or not, written in the batch that decided it: who scanned (an API
 * key or a dashboard user), from which device, what was scanned and what came of it.
 */
export const scans = sqliteTable(
  "scans",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    passId: text("pass_id")
      .notNull()
      .references(() => passes.id),
    action: text("action", { enum: SCAN_ACTIONS }).notNull(),
    result: text("result", { enum: SCAN_RESULTS }).notNull(),
    /** Why the pass is not valid, or why a check-in was (or would be) refused; null when neither. */
    reason: text("reason", { enum: SCAN_REASONS }),
    /** The scanned text; null for a check-in by pass id (`POST …/passes/{id}/checkin`). */
    code: text("code"),
    apiKeyId: text("api_key_id"),
    userId: text("user_id"),
    /** The label the scanner sent, e.g. "North gate". */
    device: text("device"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("scans_pass").on(t.passId, t.id)],
);

/**
 * Every change, written in the same batch as the change: the pass's history, and the outbox.
 * After the batch commits the request queues the new ids; `dispatched_at` is set once the fan-out
 * has made the deliveries, and a cron sweep queues any event left undispatched for a minute.
 * Business edits live in the control database, so their events are written to its outbox.
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    passId: text("pass_id"),
    /** For template edits: which template's passes must be re-rendered. */
    templateId: text("template_id"),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    dispatchedAt: text("dispatched_at"),
  },
  (t) => [
    index("events_pass").on(t.passId, t.id),
    index("events_business").on(t.businessId, t.mode, t.id),
    index("events_undispatched").on(t.createdAt).where(sql`dispatched_at IS NULL`),
  ],
);

/** A merchant's HTTPS endpoint for webhooks, in one mode: test endpoints only ever see test events. */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    description: text("description"),
    /** `whsec_` + base64 of 32 random bytes; shown when created and when rotated. */
    secret: text("secret").notNull(),
    /** After a rotation the old secret still signs (a second signature) until this time. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: text("previous_secret_expires_at"),
    status: text("status", { enum: ["enabled", "disabled"] })
      .notNull()
      .default("enabled"),
    disabledReason: text("disabled_reason"),
    /** When the current run of failures began; null after any success. */
    failingSince: text("failing_since"),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_business").on(t.businessId, t.mode, t.status)],
);

const deliveryState = {
  status: text("status", { enum: ["pending", "succeeded", "failed", "superseded"] })
    .notNull()
    .default("pending"),
  attempts: integer("attempts").notNull().default(0),
  /** A consumer holds the delivery until then; a redelivered queue message finds it taken. */
  leaseUntil: text("lease_until"),
  nextAttemptAt: text("next_attempt_at").notNull(),
  lastError: text("last_error"),
  createdAt: createdAt(),
  updatedAt: text("updated_at").notNull(),
};

/** One event to one endpoint: the unique pair is what makes the fan-out idempotent. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    lastStatusCode: integer("last_status_code"),
    deliveredAt: text("delivered_at"),
    ...deliveryState,
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint").on(t.endpointId, t.id),
    index("webhook_deliveries_due").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/**
 * One event to one wallet target: `pass:{id}` (APNs pushes to its devices, its Google object) or
 * `class:{templateId}` (the Google class of a template that changed).
 */
export const walletDeliveries = sqliteTable(
  "wallet_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    target: text("target").notNull(),
    passId: text("pass_id"),
    templateId: text("template_id"),
    /** The pass version this delivery makes the wallets show; an older one is superseded. */
    passVersion: integer("pass_version"),
    ...deliveryState,
  },
  (t) => [
    uniqueIndex("wallet_deliveries_event_target").on(t.eventId, t.target),
    index("wallet_deliveries_due").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/**
 * One event to one mailbox: `magic_link:{email hash}` (a customer's sign-in link, in the control
 * database with its event) or `pass:{id}` (a new pass by email, in the pass's shard). The unique
 * pair means an event never mails anyone twice.
 */
export const emailDeliveries = sqliteTable(
  "email_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    target: text("target").notNull(),
    kind: text("kind", { enum: EMAIL_KINDS }).notNull(),
    passId: text("pass_id"),
    ...deliveryState,
  },
  (t) => [
    uniqueIndex("email_deliveries_event_target").on(t.eventId, t.target),
    index("email_deliveries_due").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/** A device that added a pass to Apple Wallet (PassKit web service registrations). */
export const appleRegistrations = sqliteTable(
  "apple_registrations",
  {
    id: text("id").primaryKey(),
    deviceLibraryId: text("device_library_id").notNull(),
    passTypeId: text("pass_type_id").notNull(),
    passId: text("pass_id")
      .notNull()
      .references(() => passes.id),
    pushToken: text("push_token").notNull(),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("apple_registrations_device_pass").on(t.deviceLibraryId, t.passTypeId, t.passId),
    index("apple_registrations_pass").on(t.passId),
  ],
);

/** What Wallet reports to `POST /v1/log`, kept for the dashboard. */
export const appleDeviceLogs = sqliteTable("apple_device_logs", {
  id: text("id").primaryKey(),
  message: text("message").notNull(),
  createdAt: createdAt(),
});

/** Google Wallet callback nonces already seen: each callback is applied once. */
export const googleCallbackNonces = sqliteTable("google_callback_nonces", {
  nonce: text("nonce").primaryKey(),
  createdAt: createdAt(),
});
