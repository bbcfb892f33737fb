import { SignJWT } from "jose";
import { type Expiring, ExpiringCache } from "../../lib/expiring-cache";
import { defaultFetch, describeError, type FetchLike, importSigningKey } from "../signing-keys";

/**
 * Apple Push Notification service, token-based auth, for Wallet pass updates: an empty
 * background push tells the device to call our web service for the new pass.
 * A pure client: no routes, no database.
 */

export const DEFAULT_APNS_ORIGIN = "https://api.push.apple.com";

/** Apple rejects provider tokens older than an hour and refreshes more often than every 20 minutes. */
export const PROVIDER_TOKEN_MAX_AGE_MS = 50 * 60 * 1000;

export interface ApnsConfig {
  /** APNS_ORIGIN; default https://api.push.apple.com. */
  origin?: string;
  /** APNS_KEY_ID: the 10-character id of the .p8 key. */
  keyId: string;
  /** APNS_TEAM_ID. */
  teamId: string;
  /** APNS_PRIVATE_KEY: the .p8 (PKCS#8 EC P-256) PEM; literal `\n` is accepted. */
  privateKeyPem: string;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** Abort a push that has not answered after this long (counts as a retryable failure). Default 10 s. */
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

async function readReason(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { reason?: unknown };
    if (typeof body.reason === "string") return body.reason;
  } catch {
    // Not JSON: fall through to the status text.
  }
  return res.statusText || `HTTP ${res.status}`;
}

export function createApnsClient(config: ApnsConfig, fetcher: FetchLike = defaultFetch): ApnsClient {
  const origin = (config.origin || DEFAULT_APNS_ORIGIN).replace(/\/+$/, "");
  const now = config.now ?? Date.now;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const cacheKey = `${config.keyId}\u0000${config.teamId}`;

  return {
    async pushPassUpdate(pushToken, passTypeIdentifier) {
      // A broken key throws WalletKeyError: a configuration problem the caller should see, not a dead token.
      const nowMs = now();
      const token = await providerTokens.get(cacheKey, nowMs, () => mintToken(config, nowMs));

      let res: Response;
      try {
        res = await fetcher(`${origin}/3/device/${encodeURIComponent(pushToken)}`, {
          method: "POST",
          headers: {
            authorization: `bearer ${token}`,
            "apns-topic": passTypeIdentifier,
            "apns-push-type": "background",
            "apns-priority": "5",
            "content-type": "application/json",
          },
          body: "{}",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { ok: false, retry: true, status: 0, reason: describeError(error) };
      }

      if (res.status === 200) {
        await res.body?.cancel();
        return { ok: true, status: 200 };
      }
      const reason = await readReason(res);
      if (res.status === 410 || (res.status === 400 && UNREGISTER_REASONS.has(reason))) {
        return { ok: false, unregister: true, retry: false, status: res.status, reason };
      }
      if (res.status === 403 && reason === "ExpiredProviderToken") {
        // Only drop the token this push used: a newer one may already have replaced it.
        providerTokens.invalidate(cacheKey, token);
        return { ok: false, retry: true, status: res.status, reason };
      }
      return { ok: false, retry: res.status === 429 || res.status >= 500, status: res.status, reason };
    },
  };
}
