import type { Permission } from "../../types";
import { API_KEY_SCOPES, type ApiKeyScope, type Role } from "../enums";

const MANAGEMENT: Permission[] = ["keys:manage", "business:manage", "billing:manage"];

/** Staff scan and read passes; admins run everything but membership; owners run everything. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>([...API_KEY_SCOPES, ...MANAGEMENT, "members:manage"]),
  admin: new Set<Permission>([...API_KEY_SCOPES, ...MANAGEMENT]),
  staff: new Set<Permission>(["passes:read", "scan"]),
};

export function scopePermissions(scopes: readonly string[]): ReadonlySet<Permission> {
  const granted = scopes.length === 0 ? API_KEY_SCOPES : scopes;
  return new Set(granted.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)));
}
