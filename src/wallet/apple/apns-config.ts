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
export function apnsTransport(env: Env): ApnsTransport {
  const { APNS_RELAY_URL: url, APNS_RELAY: container, APNS_RELAY_SECRET: secret } = env;
  if (!url && !container) return directTransport({ origin: env.APNS_ORIGIN || undefined });
  // Every push fails loudly (and is retried) rather than going out some other way.
  if (!secret) return { send: () => Promise.reject(new Error("APNS_RELAY_SECRET is not set: the APNs relay refuses pushes without it")) };
  if (url) return relayTransport({ origin: url, secret });
  return relayTransport({ origin: "http://apns-relay", secret, fetcher: containerFetch(container!) });
}

/** The APNs client when token auth is configured; without it passes still update on refresh, just not by push. */
export function apnsClient(env: Env): ApnsClient | null {
  if (!env.APNS_KEY_ID || !env.APNS_TEAM_ID || !env.APNS_PRIVATE_KEY) return null;
  return createApnsClient({ keyId: env.APNS_KEY_ID, teamId: env.APNS_TEAM_ID, privateKeyPem: env.APNS_PRIVATE_KEY }, apnsTransport(env));
}
