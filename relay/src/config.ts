import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";

export const DEFAULT_PRODUCTION_ORIGIN = "https://api.push.apple.com";
export const DEFAULT_SANDBOX_ORIGIN = "https://api.sandbox.push.apple.com";

export interface RelayConfig {
  host: string;
  port: number;
  /** APNS_RELAY_SECRET: what the Worker sends as `Authorization: Bearer …`. */
  secret: string;
  origins: { production: string; sandbox: string };
  /** Trusted roots for the APNs hosts: Node's, plus APNS_CA_FILE when a test points the relay at a stand-in. */
  ca: string[];
  /** A stream that has not answered after this long is given up (status 0). */
  streamTimeoutMs: number;
  connectTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

// Long enough that guessing is hopeless; `openssl rand -hex 32` gives 64 characters.
const MIN_SECRET_LENGTH = 32;

function origin(value: string | undefined, fallback: string, name: string): string {
  const text = value?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} is not a URL: ${text}`);
  }
  if (url.protocol !== "https:") throw new ConfigError(`${name} must be https (APNs needs TLS with ALPN h2): ${text}`);
  return url.origin;
}

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer: ${value}`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv): RelayConfig {
  const secret = env.APNS_RELAY_SECRET ?? "";
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`APNS_RELAY_SECRET must be set to at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`);
  }
  const ca = [...rootCertificates];
  if (env.APNS_CA_FILE) {
    try {
      ca.push(readFileSync(env.APNS_CA_FILE, "utf8"));
    } catch (error) {
      throw new ConfigError(`APNS_CA_FILE cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    host: env.HOST || "0.0.0.0",
    port: positiveInteger(env.PORT, 8080, "PORT"),
    secret,
    origins: {
      production: origin(env.APNS_PRODUCTION_ORIGIN, DEFAULT_PRODUCTION_ORIGIN, "APNS_PRODUCTION_ORIGIN"),
      sandbox: origin(env.APNS_SANDBOX_ORIGIN, DEFAULT_SANDBOX_ORIGIN, "APNS_SANDBOX_ORIGIN"),
    },
    ca,
    streamTimeoutMs: positiveInteger(env.APNS_STREAM_TIMEOUT_MS, 10_000, "APNS_STREAM_TIMEOUT_MS"),
    connectTimeoutMs: positiveInteger(env.APNS_CONNECT_TIMEOUT_MS, 10_000, "APNS_CONNECT_TIMEOUT_MS"),
  };
}
