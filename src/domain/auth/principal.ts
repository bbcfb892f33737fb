import { findActiveApiKeyByHash } from "../../db/api-keys";
import type { BusinessRow } from "../../db/businesses";
import type { Database } from "../../db/client";
import { findMembershipWithBusiness } from "../../db/memberships";
import { ApiError } from "../../lib/errors";
import type { Mode, Principal } from "../../types";
import { hashApiKey, isWellFormedApiKey } from "../api-keys";
import { assertFeature } from "../plans";
import { ROLE_PERMISSIONS, scopePermissions } from "./permissions";
import { type TokenConfig, verifyAccessToken } from "./tokens";

/** What a request presented, already taken out of its headers. */
export interface Credentials {
  apiKey?: string;
  bearerToken?: string;
  /** `X-PassLite-Mode`, honoured for dashboard users only: a key's mode is the key's. */
  requestedMode?: string;
}

const MISSING = "Missing credentials: send an X-API-Key header or an Authorization: Bearer token";

export async function resolvePrincipal(
  control: Database,
  tokens: TokenConfig,
  credentials: Credentials,
): Promise<Principal & { apiKeyLastUsedAt?: string | null }> {
  if (credentials.apiKey !== undefined) return principalForApiKey(control, credentials.apiKey);
  if (credentials.bearerToken) return principalForUser(control, tokens, credentials.bearerToken, credentials.requestedMode);
  throw new ApiError("unauthorized", MISSING);
}

/** Where the business's data lives and how its serials start. */
const businessPlacement = (business: BusinessRow) => ({
  businessId: business.id,
  shard: business.shard,
  serialPrefix: business.serialPrefix ?? "",
  plan: business.plan,
  timezone: business.timezone,
});

async function principalForApiKey(control: Database, apiKey: string) {
  if (!(await isWellFormedApiKey(apiKey))) throw new ApiError("unauthorized", "Invalid API key");
  const found = await findActiveApiKeyByHash(control, await hashApiKey(apiKey));
  if (!found) throw new ApiError("unauthorized", "Invalid API key");
  const { key, business } = found;
  assertFeature(business.plan, "api_access");
  return {
    kind: "api_key" as const,
    ...businessPlacement(business),
    mode: key.mode,
    permissions: scopePermissions(key.scopes),
    credentialId: `key:${key.id}`,
    apiKeyId: key.id,
    apiKeyLastUsedAt: key.lastUsedAt,
  };
}

async function principalForUser(control: Database, tokens: TokenConfig, token: string, requestedMode?: string): Promise<Principal> {
  const claims = await verifyAccessToken(tokens, token);
  const joined = await findMembershipWithBusiness(control, claims.userId, claims.businessId);
  if (!joined) throw new ApiError("unauthorized", "Access token no longer grants access to this business");
  return {
    kind: "user",
    ...businessPlacement(joined.business),
    mode: parseMode(requestedMode),
    permissions: ROLE_PERMISSIONS[joined.membership.role],
    credentialId: `user:${claims.userId}`,
    userId: claims.userId,
    role: joined.membership.role,
  };
}

function parseMode(value: string | undefined): Mode {
  if (value === undefined || value === "" || value === "live") return "live";
  if (value === "test") return "test";
  throw new ApiError("bad_request", "X-PassLite-Mode must be live or test");
}
