import { SignJWT } from "jose";
import { type Expiring, ExpiringCache } from "../../lib/expiring-cache";
import { importSigningKey } from "../signing-keys";
import { type ApnsAnswer, type ApnsTransport, directTransport, type PushTarget } from "./apns-transport";

/**
 * Apple Push Notification service, token-based auth, for Wallet pass updates: an empty
 * background push tells the device to call our web service for the new pass.
 * A pure client: no routes, no database. How pushes travel is the transport's business.
 */

export type { PushTarget };

/** Apple rejects provider tokens older than an hour and refreshes more often than every 20 minutes. */
export const PROVIDER_TOKEN_MAX_AGE_MS = 50 * 60 * 1000;

export interface ApnsConfig {
  /** APNS_ORIGIN, for the default direct transport; default https://api.push.apple.com. */
  origin?: string;
  /** APNS_KEY_ID: the 10-character id of the .p8 key. */
  keyId: string;
  /** APNS_TEAM_ID. */
  teamId: string;
  /** APNS_PRIVATE_KEY: the .p8 (PKCS#8 EC P-256) PEM; literal `\n` is accepted. */
  privateKeyPem: string;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** Direct transport: abort a push that has not answered after this long (a retryable failure). Default 10 s. */
  timeoutMs?: number;
}

/**
 * What happened to one push.
 *  - `ok`: Apple accepted it.
 *  - `unregister`: the token is dead (410, or 400 BadDeviceToken / DeviceTokenNotForTopic / Unregistered):
 *    delete the registration.
 *  - `retry`: worth trying later (429, 5xx, network failure or timeout, 403 ExpiredProviderToken).
 *  - otherwise a permanent failure for this request (`retry: false`); `reason` is Apple's.
 * `status` is 0 when no HTTP answer arrived.
 */
export type PushOutcome =
  | { ok: true; status: number }
  | { ok: false; unregister: true; retry: false; status: number; reason: string }
  | { ok: false; unregister?: false; retry: boolean; status: number; reason: string };

export interface ApnsClient {
  pushPassUpdate(pushToken: string, passTypeIdentifier: string): Promise<PushOutcome>;
  /** All pushes in one go (through the relay: one request per 1,000); one outcome per target, in order. */
  pushPassUpdates(targets: PushTarget[]): Promise<PushOutcome[]>;
}

const UNREGISTER_REASONS = new Set(["BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered"]);

// Per isolate, keyed by key id + team id: Apple throttles token churn, so every client shares one.
const providerTokens = new ExpiringCache<string>();

async function mintToken(config: ApnsConfig, nowMs: number): Promise<Expiring<string>> {
  const key = await importSigningKey(config.privateKeyPem, "ES256", "APNS_PRIVATE_KEY");
  const iat = Math.floor(nowMs / 1000);
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: config.keyId })
    .setIssuer(config.teamId)
    .setIssuedAt(iat)
    .sign(key);
  return { value: jwt, freshUntilMs: iat * 1000 + PROVIDER_TOKEN_MAX_AGE_MS };
}

function outcome(answer: ApnsAnswer): PushOutcome {
  const { status } = answer;
  if (status === 200) return { ok: true, status };
  const reason = answer.reason ?? (status === 0 ? "no answer" : `HTTP ${status}`);
  if (status === 410 || (status === 400 && UNREGISTER_REASONS.has(reason)))
    return { ok: false, unregister: true, retry: false, status, reason };
  if (status === 403 && reason === "ExpiredProviderToken") return { ok: false, retry: true, status, reason };
  return { ok: false, retry: status === 0 || status === 429 || status >= 500, status, reason };
}

export function createApnsClient(config: ApnsConfig, transport?: ApnsTransport): ApnsClient {
  const via = transport ?? directTransport({ origin: config.origin, timeoutMs: config.timeoutMs });
  const now = config.now ?? Date.now;
  const cacheKey = `${config.keyId}\u0000${config.teamId}`;

  async function pushPassUpdates(targets: PushTarget[]): Promise<PushOutcome[]> {
    if (targets.length === 0) return [];
    // A broken key throws WalletKeyError: a configuration problem the caller should see, not a dead token.
    const nowMs = now();
    const token = await providerTokens.get(cacheKey, nowMs, () => mintToken(config, nowMs));
    const outcomes = (await via.send(`bearer ${token}`, targets)).map(outcome);
    // Only drop the token these pushes used: a newer one may already have replaced it.
    if (outcomes.some((o) => !o.ok && o.status === 403 && o.reason === "ExpiredProviderToken")) providerTokens.invalidate(cacheKey, token);
    return outcomes;
  }

  return {
    pushPassUpdates,
    async pushPassUpdate(pushToken, passTypeIdentifier) {
      const [result] = await pushPassUpdates([{ pushToken, passTypeIdentifier }]);
      return result!;
    },
  };
}
