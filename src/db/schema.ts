import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { type ApiKeyScope, MODES, PLAN_NAMES, ROLES, STORED_PASS_STATUSES, TEMPLATE_STATUSES, TEMPLATE_TYPES } from "../domain/enums";
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
    /** Part of the signed barcode: bumping it re-issues this pass's barcode alone. */
    barcodeKeyVersion: integer("barcode_key_version").notNull().default(1),
    expiresAt: text("expires_at"),
    checkedInAt: text("checked_in_at"),
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
    // One index per list filter and order, so a page reads a page of rows whatever the business's size.
    index("passes_business_mode").on(t.businessId, t.mode, t.id),
    index("passes_status").on(t.businessId, t.mode, t.status, t.id),
    index("passes_template").on(t.templateId, t.id),
    index("passes_email").on(t.businessId, t.mode, t.emailNormalized, t.id),
    index("passes_updated").on(t.businessId, t.mode, t.updatedAt, t.id),
    index("passes_expires").on(t.businessId, t.mode, t.expiresAt, t.id),
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
 * Every pass change, written in the same batch as the change: the pass's history, and the
 * outbox webhooks will drain (`delivered_at` null = not yet handed to the queue).
 */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id").notNull(),
    mode: mode(),
    passId: text("pass_id"),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    deliveredAt: text("delivered_at"),
  },
  (t) => [
    index("events_pass").on(t.passId, t.id),
    index("events_business").on(t.businessId, t.mode, t.id),
    index("events_undelivered").on(t.deliveredAt),
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
