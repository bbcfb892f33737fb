import { ApiError } from "../../lib/errors";
import type { Mode, Principal } from "../../types";
import { hashApiKey, isWellFormedApiKey } from "../api-keys";
import { type Credential, type Grant, guardName } from "./grants";
import { ROLE_PERMISSIONS, scopePermissions } from "./permissions";
import { type TokenConfig, verifyAccessToken } from "./tokens";

/** What a request presented, already taken out of its headers. */
export interface Credentials {
  apiKey?: string;
  bearerToken?: string;
  /** `X-PassLite-Mode`, honoured for dashboard users only: a key's mode is the key's. */
  requestedMode?: string;
}

/** A credential whose secret checked out locally, still to be admitted by its guard. */
export interface Presented {
  credential: Credential;
  mode: Mode;
}

const MISSING = "Missing credentials: send an X-API-Key header or an Authorization: Bearer token";

/**
 * Checks what can be checked without state: a key's checksum (a mistyped key never reaches a
 * guard) and an access token's signature and expiry.
 */
export async function presentedCredential(tokens: TokenConfig, credentials: Credentials): Promise<Presented> {
  const { apiKey, bearerToken } = credentials;
  if (apiKey !== undefined) {
    if (!(await isWellFormedApiKey(apiKey))) throw new ApiError("unauthorized", "Invalid API key");
    return { credential: { kind: "api_key", keyHash: await hashApiKey(apiKey) }, mode: apiKey.startsWith("pb_test_") ? "test" : "live" };
  }
  if (bearerToken) {
    const claims = await verifyAccessToken(tokens, bearerToken);
    return { credential: { kind: "user", ...claims }, mode: parseMode(credentials.requestedMode) };
  }
  throw new ApiError("unauthorized", MISSING);
}

/** The error for a credential its guard refused. */
export const refusedCredential = (credential: Credential) =>
  new ApiError("unauthorized", credential.kind === "api_key" ? "Invalid API key" : "Access token no longer grants access to this business");

export function principalFor(presented: Presented, grant: Grant): Principal {
  const { businessId, shard, serialPrefix, plan, timezone } = grant;
  const common = { businessId, shard, serialPrefix, plan, timezone, credentialId: guardName(presented.credential) };
  if (grant.kind === "api_key") {
    return {
      ...common,
      kind: "api_key",
      mode: grant.mode ?? presented.mode,
      permissions: scopePermissions(grant.scopes ?? []),
      apiKeyId: grant.keyId,
    };
  }
  const role = grant.role ?? "staff";
  return { ...common, kind: "user", mode: presented.mode, permissions: ROLE_PERMISSIONS[role], userId: grant.userId, role };
}

function parseMode(value: string | undefined): Mode {
  if (value === undefined || value === "" || value === "live") return "live";
  if (value === "test") return "test";
  throw new ApiError("bad_request", "X-PassLite-Mode must be live or test");
}
