import type { CredentialGuard } from "./durable/credential-guard";
import type { Throttle } from "./durable/throttle";
import type { DeliveryMessage, EventsMessage } from "./queue/messages";
import type { ApnsRelayContainer } from "./wallet/apple/apns-relay-container";

/** Bindings, variables and secrets the Worker reads. Every one is documented in README.md. */
export interface Env {
  DB: D1Database;
  CREDENTIAL_GUARD: DurableObjectNamespace<CredentialGuard>;
  /** Sliding-window abuse limits by name (magic links per email and per IP). */
  THROTTLE: DurableObjectNamespace<Throttle>;
  /** Template images (logo, icon, strip). */
  IMAGES: R2Bucket;
  /** Committed events to fan out to webhooks and wallets (the outbox's queue), consumed by `queue()`. */
  EVENTS_QUEUE: Queue<EventsMessage>;
  /** Wallet deliveries: APNs pushes and Google Wallet updates. */
  WALLET_QUEUE: Queue<DeliveryMessage>;
  /** Webhook deliveries to merchants' endpoints. */
  WEBHOOK_QUEUE: Queue<DeliveryMessage>;
  /** Email deliveries: magic links and passes by email. */
  EMAIL_QUEUE: Queue<DeliveryMessage>;
  /** Pruned events, exported as NDJSON (only when EVENT_RETENTION_DAYS is set). */
  ARCHIVE: R2Bucket;
  /** The APNs relay container (wrangler.toml [[containers]]); absent where that config is removed. */
  APNS_RELAY?: DurableObjectNamespace<ApnsRelayContainer>;

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
  /** Secret: derives each business's barcode-signing key. */
  BARCODE_SIGNING_SECRET?: string;

  /** Apple Wallet: Pass Type ID, team, and the signing chain (PEM; literal \n allowed). */
  APPLE_PASS_TYPE_ID?: string;
  APPLE_TEAM_ID?: string;
  APPLE_PASS_CERT?: string;
  APPLE_PASS_KEY?: string;
  APPLE_PASS_KEY_PASSPHRASE?: string;
  APPLE_WWDR_CERT?: string;
  /** Base64 ECDH P-256 public key Apple issued for NFC passes; without it passes carry no NFC. */
  APPLE_NFC_PUBLIC_KEY?: string;
  /** APNs token auth for pass-update pushes. */
  APNS_ORIGIN?: string;
  /** A relay hosted outside this Worker (dev, tests, bench); takes precedence over the APNS_RELAY container. */
  APNS_RELAY_URL?: string;
  /** Secret shared with the relay, sent as `Authorization: Bearer …`. */
  APNS_RELAY_SECRET?: string;
  APNS_KEY_ID?: string;
  APNS_TEAM_ID?: string;
  APNS_PRIVATE_KEY?: string;

  /** Google Wallet issuer and service account; without them the Google button is hidden. */
  GOOGLE_ISSUER_ID?: string;
  GOOGLE_SERVICE_ACCOUNT_EMAIL?: string;
  GOOGLE_PRIVATE_KEY?: string;
  GOOGLE_API_ORIGIN?: string;
  GOOGLE_TOKEN_URL?: string;
  GOOGLE_CALLBACK_ROOT_KEYS_URL?: string;

  /** Email through an HTTP API in Resend's shape; without the key, mail stays in the development outbox. */
  EMAIL_API_URL?: string;
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
  EMAIL_RETRY_SCHEDULE?: string;
}
