import type { Config } from "../../config";
import type { Env } from "../../env";
import { type ApnsClient, createApnsClient } from "./apns";
import { containerFetch } from "./apns-relay-container";
import { type ApnsTransport, directTransport, relayTransport } from "./apns-transport";

export type { ApnsClient };

/**
 * How pushes leave the Worker, first match wins:
 *  1. APNS_RELAY_URL: a relay hosted elsewhere (`npm run dev`, the tests and the bench run one as a Node process);
 *  2. the APNS_RELAY container binding: the relay deployed with the Worker;
 *  3. neither: direct fetch to APNS_ORIGIN, which Workers may fail to deliver (Apple needs HTTP/2).
 */
export function apnsTransport(env: Env, config: Config): ApnsTransport {
  const { APNS_RELAY_URL: url, APNS_RELAY_SECRET: secret } = config;
  const container = env.APNS_RELAY;
  if (!url && !container) return directTransport({ origin: config.APNS_ORIGIN });
  // Every push fails loudly (and is retried) rather than going out some other way.
  if (!secret) return { send: () => Promise.reject(new Error("APNS_RELAY_SECRET is not set: the APNs relay refuses pushes without it")) };
  if (url) return relayTransport({ origin: url, secret });
  return relayTransport({ origin: "http://apns-relay", secret, fetcher: containerFetch(container!) });
}

/** The APNs client when token auth is configured; without it passes still update on refresh, just not by push. */
export function apnsClient(env: Env, config: Config): ApnsClient | null {
  if (!config.APNS_KEY_ID || !config.APNS_TEAM_ID || !config.APNS_PRIVATE_KEY) return null;
  const key = { keyId: config.APNS_KEY_ID, teamId: config.APNS_TEAM_ID, privateKeyPem: config.APNS_PRIVATE_KEY };
  return createApnsClient(key, apnsTransport(env, config));
}
