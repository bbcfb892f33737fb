import { sql } from "drizzle-orm";
import type { ApiKeyScope } from "../types";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Timestamps are ISO-8601 UTC strings: they sort as text and are what the API returns.
const createdAt = () => text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

export const businesses = sqliteTable("businesses", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  plan: text("plan", { enum: ["free", "pro"] }).notNull().default("free"),
  timezone: text("timezone").notNull().default("UTC"),
  currency: text("currency").notNull().default("GBP"),
  brandBackground: text("brand_background"),
  brandForeground: text("brand_foreground"),
  brandLabel: text("brand_label"),
  createdAt: createdAt(),
  updatedAt: text("updated_at").notNull(),
});

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
    businessId: text("business_id").notNull().references(() => businesses.id),
    /** Null while the invitation has not been accepted. */
    userId: text("user_id").references(() => users.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["owner", "admin", "staff"] }).notNull(),
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
    userId: text("user_id").notNull().references(() => users.id),
    businessId: text("business_id").notNull().references(() => businesses.id),
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
    businessId: text("business_id").notNull().references(() => businesses.id),
    name: text("name").notNull(),
    mode: text("mode", { enum: ["live", "test"] }).notNull(),
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
