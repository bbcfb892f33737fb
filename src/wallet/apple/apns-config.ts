import type { Config } from "../../config";
import { type ApnsClient, createApnsClient } from "./apns";

export type { ApnsClient };

/** The APNs client when token auth is configured; without it passes still update on refresh, just not by push. */
export function apnsClient(config: Config): ApnsClient | null {
  if (!config.APNS_KEY_ID || !config.APNS_TEAM_ID || !config.APNS_PRIVATE_KEY) return null;
  return createApnsClient({
    origin: config.APNS_ORIGIN,
    keyId: config.APNS_KEY_ID,
    teamId: config.APNS_TEAM_ID,
    privateKeyPem: config.APNS_PRIVATE_KEY,
  });
}
