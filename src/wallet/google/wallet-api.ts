import { SignJWT } from "jose";
import { type Expiring, ExpiringCache } from "../../lib/expiring-cache";
import { defaultFetch, describeError, type FetchLike, importSigningKey } from "../signing-keys";
import type { GoogleClass, GoogleResources } from "./classes-objects";

/** Google Wallet REST (walletobjects/v1) with service-account OAuth. A pure client: no routes, no database. */

export const DEFAULT_GOOGLE_API_ORIGIN = "https://walletobjects.googleapis.com";
export const DEFAULT_GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
export const WALLET_ISSUER_SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer";

/** Access tokens are used until this long before they expire. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;

export interface GoogleWalletClientConfig {
  /** GOOGLE_API_ORIGIN; default https://walletobjects.googleapis.com (a path prefix is kept). */
  apiOrigin?: string;
  /** GOOGLE_TOKEN_URL; default https://oauth2.googleapis.com/token. Also the assertion's `aud`. */
  tokenUrl?: string;
  serviceAccountEmail: string;
  /** GOOGLE_PRIVATE_KEY: RSA PKCS#8 PEM; literal `\n` is accepted. */
  privateKeyPem: string;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** Abort a request that has not answered after this long (a retryable failure). Default 10 s. */
  timeoutMs?: number;
}

/**
 * What a write did. `status` is the HTTP status of the request that decided the outcome
 * (0 when no answer arrived). `retry`: 429, 5xx, network failure or timeout, or 401 (the cached
 * access token is dropped, so the next attempt fetches a new one).
 */
export type GoogleWalletResult =
  | { ok: true; status: number; retry: false; created: boolean }
  | { ok: false; status: number; retry: boolean; reason: string };

export interface GoogleWalletClient {
  /** PATCH the object; when Google does not know it, insert the class (if needed) and then the object. */
  upsertObject(resources: GoogleResources): Promise<GoogleWalletResult>;
  /** PATCH the class (template changed); insert it when Google does not know it. */
  upsertClass(resources: GoogleClass): Promise<GoogleWalletResult>;
}

// Per isolate, keyed by service account + token URL.
const accessTokens = new ExpiringCache<string>();

class TokenFailure extends Error {
  constructor(
    readonly status: number,
    readonly retry: boolean,
    reason: string,
  ) {
    super(reason);
  }
}

const isRetryable = (status: number) => status === 0 || status === 401 || status === 429 || status >= 500;

async function errorReason(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === "object" && body.error && typeof (body.error as { message?: unknown }).message === "string") {
      return (body.error as { message: string }).message;
    }
    if (typeof body.error === "string")
      return typeof body.error_description === "string" ? `${body.error}: ${body.error_description}` : body.error;
  } catch {
    // Not JSON.
  }
  return text.slice(0, 200) || res.statusText || `HTTP ${res.status}`;
}

export function createGoogleWalletClient(config: GoogleWalletClientConfig, fetcher: FetchLike = defaultFetch): GoogleWalletClient {
  const apiOrigin = (config.apiOrigin || DEFAULT_GOOGLE_API_ORIGIN).replace(/\/+$/, "");
  const tokenUrl = config.tokenUrl || DEFAULT_GOOGLE_TOKEN_URL;
  const now = config.now ?? Date.now;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const cacheKey = `${config.serviceAccountEmail}\u0000${tokenUrl}`;

  async function requestToken(nowMs: number): Promise<Expiring<string>> {
    const key = await importSigningKey(config.privateKeyPem, "RS256", "GOOGLE_PRIVATE_KEY");
    const iat = Math.floor(nowMs / 1000);
    const assertion = await new SignJWT({ scope: WALLET_ISSUER_SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(config.serviceAccountEmail)
      .setAudience(tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(key);
    let res: Response;
    try {
      res = await fetcher(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new TokenFailure(0, true, `token request failed: ${describeError(error)}`);
    }
    if (!res.ok) {
      const reason = `token request refused: ${await errorReason(res)}`;
      // 400/401 here (invalid_grant, bad key) is configuration; 401 is not worth retrying.
      throw new TokenFailure(res.status, res.status === 429 || res.status >= 500, reason);
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string" || !body.access_token)
      throw new TokenFailure(res.status, true, "token response has no access_token");
    const expiresIn = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600;
    return { value: body.access_token, freshUntilMs: nowMs + expiresIn * 1000 - TOKEN_EXPIRY_MARGIN_MS };
  }

  function accessToken(): Promise<string> {
    const nowMs = now();
    return accessTokens.get(cacheKey, nowMs, () => requestToken(nowMs));
  }

  /** One authorised call; `status` 0 means no answer. */
  async function call(method: "PATCH" | "POST", path: string, body: unknown): Promise<{ status: number; reason: string }> {
    const token = await accessToken();
    let res: Response;
    try {
      res = await fetcher(`${apiOrigin}/walletobjects/v1/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { status: 0, reason: describeError(error) };
    }
    if (res.ok) {
      await res.body?.cancel();
      return { status: res.status, reason: "" };
    }
    if (res.status === 401) accessTokens.invalidate(cacheKey, token);
    return { status: res.status, reason: await errorReason(res) };
  }

  const ok = (status: number, created: boolean): GoogleWalletResult => ({ ok: true, status, retry: false, created });
  const failed = ({ status, reason }: { status: number; reason: string }): GoogleWalletResult => ({
    ok: false,
    status,
    retry: isRetryable(status),
    reason,
  });
  const isOk = (status: number) => status >= 200 && status < 300;

  async function insertClass(resources: GoogleClass): Promise<{ status: number; reason: string; existed: boolean }> {
    const inserted = await call("POST", resources.classType, resources.classResource);
    // 409: the class exists already (another pass of the template got there first).
    return inserted.status === 409 ? { status: 200, reason: "", existed: true } : { ...inserted, existed: false };
  }

  /** Token failures become results; anything else (e.g. a broken key) propagates. */
  async function guarded(work: () => Promise<GoogleWalletResult>): Promise<GoogleWalletResult> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof TokenFailure) return { ok: false, status: error.status, retry: error.retry, reason: error.message };
      throw error;
    }
  }

  return {
    upsertObject(resources) {
      return guarded(async () => {
        const { objectType, objectResource } = resources;
        const objectPath = `${objectType}/${encodeURIComponent(objectResource.id)}`;
        const patched = await call("PATCH", objectPath, objectResource);
        if (isOk(patched.status)) return ok(patched.status, false);
        if (patched.status !== 404) return failed(patched);

        const classReady = await insertClass(resources);
        if (!isOk(classReady.status)) return failed(classReady);
        const inserted = await call("POST", objectType, objectResource);
        if (isOk(inserted.status)) return ok(inserted.status, true);
        if (inserted.status !== 409) return failed(inserted);
        // Inserted concurrently since our PATCH: write our version over it.
        const repatched = await call("PATCH", objectPath, objectResource);
        return isOk(repatched.status) ? ok(repatched.status, false) : failed(repatched);
      });
    },

    upsertClass(resources) {
      return guarded(async () => {
        const patched = await call(
          "PATCH",
          `${resources.classType}/${encodeURIComponent(resources.classResource.id)}`,
          resources.classResource,
        );
        if (isOk(patched.status)) return ok(patched.status, false);
        if (patched.status !== 404) return failed(patched);
        const inserted = await insertClass(resources);
        return isOk(inserted.status) ? ok(inserted.status, !inserted.existed) : failed(inserted);
      });
    },
  };
}
