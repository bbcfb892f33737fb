import type { Config } from "./config";
import type { DataContext } from "./db/data-context";
import type { Tenant } from "./db/tenant";
import type { GuessLimiter } from "./domain/auth/guesses";
import type { ApiKeyScope, Mode, Plan, Role } from "./domain/enums";
import type { Guards } from "./durable/guards";
import type { Env } from "./env";

export type { ApiKeyScope, Mode, Plan, Role };

/** Permissions only dashboard users hold, by role. */
export type Permission = ApiKeyScope | "keys:manage" | "members:manage" | "business:manage" | "billing:manage";

/** Who is calling: resolved once per request by the auth middleware. */
export interface Principal {
  kind: "api_key" | "user";
  businessId: string;
  /** The D1 binding holding the business's data. */
  shard: string;
  /** Starts every serial the business issues. */
  serialPrefix: string;
  plan: Plan;
  /** The business's IANA timezone: times in messages (a first check-in's) are the business's local time. */
  timezone: string;
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
    config: Config;
    /** The control database, the shards, and the outbox of events this request committed. */
    data: DataContext;
    /** The credential guards: asked before each request, told when a grant changes. */
    guards: Guards;
    /** Counts guesses (passwords, tokens, API keys) with growing delays. */
    guesses: GuessLimiter;
    principal: Principal;
    /** The authenticated business's shard (with the control database), set with the principal. */
    tenant: Tenant;
  };
}
