import { z } from "zod";
import { PRIMARY_SHARD, shardDatabase } from "./db/shards";
import type { Env } from "./env";
import { pemLabels } from "./lib/pem";

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const origin = z
  .url({ protocol: /^https?$/, error: "must be an http(s) origin such as https://api.example.com" })
  .transform((value) => value.replace(/\/+$/, ""));

const positiveInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const pem = (labels: string[], what: string) =>
  optional(z.string().refine((value) => pemLabels(value).some((label) => labels.includes(label)), `must be a PEM ${what}`));

const PRIVATE_KEY = ["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY"];

/**
 * Every variable and secret the Worker reads, checked once per isolate. A deployment mistake (a
 * short JWT_SECRET, a certificate pasted without its BEGIN line) is reported by name on the first
 * request, instead of surfacing later as a 500 in the middle of some unrelated call.
 */
const ConfigFields = z.object({
  ENVIRONMENT: z.string().default("production"),
  API_ORIGIN: origin,
  APP_ORIGIN: origin,
  RATE_LIMIT_PER_MINUTE: positiveInteger(60),
  DASHBOARD_RATE_LIMIT_PER_MINUTE: positiveInteger(600),
  ACCESS_TOKEN_TTL_SECONDS: positiveInteger(900),
  /** D1 bindings that take new businesses (each is a shard; DB is also the control database). */
  D1_SHARDS: z
    .string()
    .default(PRIMARY_SHARD)
    .transform((list) =>
      list
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must list D1 binding names such as DB,DB_SHARD_1")).min(1)),
  JWT_SECRET: z.string({ error: "must be set" }).min(32, "must be at least 32 characters (HS256 needs a key as long as its hash)"),
  ADMIN_TOKEN: optional(z.string().min(16, "must be at least 16 characters")),
  BARCODE_SIGNING_SECRET: optional(z.string().min(16, "must be at least 16 characters")),

  APPLE_PASS_TYPE_ID: optional(z.string()),
  APPLE_TEAM_ID: optional(z.string()),
  APPLE_PASS_CERT: pem(["CERTIFICATE"], "certificate"),
  APPLE_PASS_KEY: pem(PRIVATE_KEY, "private key"),
  APPLE_PASS_KEY_PASSPHRASE: optional(z.string()),
  APPLE_WWDR_CERT: pem(["CERTIFICATE"], "certificate"),
  APPLE_NFC_PUBLIC_KEY: optional(z.string().regex(/^[A-Za-z0-9+/=]+$/, "must be the base64 public key Apple issued")),
  APNS_ORIGIN: optional(origin),
  APNS_KEY_ID: optional(z.string()),
  APNS_TEAM_ID: optional(z.string()),
  APNS_PRIVATE_KEY: pem(PRIVATE_KEY, "private key (.p8)"),
  APNS_RELAY_URL: optional(origin),
  APNS_RELAY_SECRET: optional(z.string().min(32, "must be at least 32 characters")),

  /** Seconds to wait before each webhook retry; the defaults add up to about three days. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default("5,300,1800,7200,18000,36000,50400,72000,86400")
    .transform((list) => list.split(",").map((s) => Number(s.trim())))
    .pipe(
      z
        .array(
          z
            .number()
            .int()
            .min(1)
            .max(7 * 86_400),
        )
        .min(1, "must list at least one delay"),
    ),
  /** DNS over HTTPS (JSON API), for checking where a webhook host resolves before delivering to it. */
  DNS_RESOLVER_URL: z.url().default("https://cloudflare-dns.com/dns-query"),
  /** Events older than this many days are exported to R2 (ARCHIVE) and pruned from D1; unset keeps them all. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).optional(),

  /** An HTTP email API speaking Resend's `POST /emails`; without EMAIL_API_KEY, mail is only printed (and kept in /dev/outbox in development). */
  EMAIL_API_URL: origin.default("https://api.resend.com"),
  EMAIL_API_KEY: optional(z.string().min(8, "must be the email provider's API key")),
  /** The sender, `Name <address>`, on a domain the provider has verified. */
  EMAIL_FROM: optional(z.string().regex(/^([^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/, "must be an address, or Name <address>")),
  /** Seconds to wait before each email retry (a magic link gives up sooner: its link lives 15 minutes). */
  EMAIL_RETRY_SCHEDULE: z
    .string()
    .default("10,60,300,1800,7200")
    .transform((list) => list.split(",").map((s) => Number(s.trim())))
    .pipe(z.array(z.number().int().min(1).max(86_400)).min(1, "must list at least one delay")),

  GOOGLE_ISSUER_ID: optional(z.string().regex(/^\d+$/, "must be the numeric issuer id")),
  GOOGLE_SERVICE_ACCOUNT_EMAIL: optional(z.email()),
  GOOGLE_PRIVATE_KEY: pem(PRIVATE_KEY, "private key"),
  GOOGLE_API_ORIGIN: optional(origin),
  GOOGLE_TOKEN_URL: optional(z.url()),
  GOOGLE_CALLBACK_ROOT_KEYS_URL: optional(z.url()),
});

const ConfigSchema = ConfigFields.refine((config) => !config.EMAIL_API_KEY || config.EMAIL_FROM, {
  path: ["EMAIL_FROM"],
  message: "must be set with EMAIL_API_KEY (a sender on a domain the provider has verified)",
});

export type Config = z.infer<typeof ConfigSchema>;

/** The configuration cannot run PassLite; `message` names every offending variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

// Parsed once per env object (one per isolate in production; tests may pass their own).
const parsed = new WeakMap<object, Config>();

export function loadConfig(env: Env): Config {
  const cached = parsed.get(env);
  if (cached) return cached;
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(`PassLite is misconfigured: ${problems.join("; ")}`);
  }
  for (const shard of result.data.D1_SHARDS) {
    try {
      shardDatabase(env, shard);
    } catch {
      throw new ConfigError(`PassLite is misconfigured: D1_SHARDS names ${shard}, which is not a D1 binding of this Worker`);
    }
  }
  parsed.set(env, result.data);
  return result.data;
}
