import type { Database } from "./db/client";
import type { Env } from "./env";

export type Mode = "live" | "test";
export type Plan = "free" | "pro";
export type Role = "owner" | "admin" | "staff";

/** What an API key may be limited to; a key without scopes gets all of them. */
export const API_KEY_SCOPES = ["passes:read", "passes:write", "scan", "templates:write", "webhooks:write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Permissions only dashboard users hold, by role. */
export type Permission = ApiKeyScope | "keys:manage" | "members:manage" | "business:manage" | "billing:manage";

/** Who is calling: resolved once per request by the auth middleware. */
export interface Principal {
  kind: "api_key" | "user";
  businessId: string;
  plan: Plan;
  mode: Mode;
  permissions: ReadonlySet<Permission>;
  /** Names the credential's guard Durable Object (rate limit + idempotency scope). */
  credentialId: string;
  apiKeyId?: string;
  userId?: string;
  role?: Role;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Database;
    principal: Principal;
  };
}
