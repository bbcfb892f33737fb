import { findActiveApiKeyByHash } from "../../db/api-keys";
import type { BusinessRow } from "../../db/businesses";
import type { Database } from "../../db/client";
import { findMembershipWithBusiness } from "../../db/memberships";
import type { ApiKeyScope, Mode, Plan, Role } from "../enums";

/** What a request presented, once its secret has been checked: a key by its hash, or a signed-in user in one business. */
export type Credential = { kind: "api_key"; keyHash: string } | { kind: "user"; userId: string; businessId: string; sessionId: string };

/** Everything needed to authorise a credential's requests, as its guard holds it. */
export interface Grant {
  kind: "api_key" | "user";
  businessId: string;
  /** The D1 binding holding the business's data. */
  shard: string;
  serialPrefix: string;
  plan: Plan;
  /** The business's IANA timezone, for times in scan messages. */
  timezone: string;
  keyId?: string;
  /** A key's own mode; a user picks theirs per request. */
  mode?: Mode;
  scopes?: ApiKeyScope[];
  userId?: string;
  role?: Role;
}

/** A grant as read from D1, with when the key was last used (the guard keeps `last_used_at` fresh). */
export interface LoadedGrant {
  grant: Grant;
  lastUsedAt?: string | null;
}

/** The guard object a credential is checked by: one per key (by its hash, so an unknown key is one cheap miss) and one per user. */
export const guardName = (credential: Credential) =>
  credential.kind === "api_key" ? keyGuardName(credential.keyHash) : userGuardName(credential.userId);
export const keyGuardName = (keyHash: string) => `key:${keyHash}`;
export const userGuardName = (userId: string) => `user:${userId}`;

const placement = (business: BusinessRow) => ({
  businessId: business.id,
  shard: business.shard,
  serialPrefix: business.serialPrefix ?? "",
  plan: business.plan,
  timezone: business.timezone,
});

/** Reads what a credential may do from the control database; undefined when it grants nothing (unknown or revoked key, not a member). */
export async function loadGrant(control: Database, credential: Credential): Promise<LoadedGrant | undefined> {
  if (credential.kind === "api_key") {
    const found = await findActiveApiKeyByHash(control, credential.keyHash);
    if (!found) return undefined;
    const { key, business } = found;
    return {
      grant: { kind: "api_key", ...placement(business), keyId: key.id, mode: key.mode, scopes: key.scopes },
      lastUsedAt: key.lastUsedAt,
    };
  }
  const joined = await findMembershipWithBusiness(control, credential.userId, credential.businessId);
  if (!joined) return undefined;
  return { grant: { kind: "user", ...placement(joined.business), userId: credential.userId, role: joined.membership.role } };
}

/** Where grants are held between requests (the credential guards): told the moment one changes. */
export interface GrantCache {
  forget(credentials: { keyHashes?: readonly string[]; userIds?: readonly string[] }): Promise<void>;
  /** Refuses the session's access tokens from now on (logout), for as long as one could still be unexpired. */
  endSession(userId: string, sessionId: string, tokensValidUntil: number): Promise<void>;
}
