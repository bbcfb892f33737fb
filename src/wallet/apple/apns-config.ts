import type { Env } from "../../env";
import { type ApnsClient, createApnsClient } from "./apns";

export type { ApnsClient };

/** The APNs client when token auth is configured; without it passes still update on refresh, just not by push. */
export function apnsClient(env: Env): ApnsClient | null {
  if (!env.APNS_KEY_ID || !env.APNS_TEAM_ID || !env.APNS_PRIVATE_KEY) return null;
  return createApnsClient({
    origin: env.APNS_ORIGIN || undefined,
    keyId: env.APNS_KEY_ID,
    teamId: env.APNS_TEAM_ID,
    privateKeyPem: env.APNS_PRIVATE_KEY,
  });
}
