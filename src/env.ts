import type { CredentialGuard } from "./durable/credential-guard";

/** Bindings, variables and secrets the Worker reads. Every one is documented in README.md. */
export interface Env {
  DB: D1Database;
  CREDENTIAL_GUARD: DurableObjectNamespace<CredentialGuard>;
  /** Template images (logo, icon, strip). */
  IMAGES: R2Bucket;

  ENVIRONMENT: string;
  APP_ORIGIN: string;
  API_ORIGIN: string;
  RATE_LIMIT_PER_MINUTE?: string;
  DASHBOARD_RATE_LIMIT_PER_MINUTE?: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;

  /** Secret: signs dashboard access tokens (HS256). */
  JWT_SECRET: string;
  /** Secret: operator token for `/api/v1/admin/*`. */
  ADMIN_TOKEN?: string;
}
