import type { Env } from "../env";
import { findBusinessBySerialPrefix, placedShards } from "./businesses";
import type { Database } from "./client";

/** The binding that is also the control database; serials issued before prefixes existed all live here. */
export const PRIMARY_SHARD = "DB";

const isD1 = (value: unknown): value is D1Database => typeof value === "object" && value !== null && "prepare" in value && "batch" in value;

/** The one place a shard name becomes a database: any D1 binding of the Worker may be a shard. */
export function shardDatabase(env: Env, shard: string): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[shard];
  if (!isD1(binding)) throw new Error(`Shard ${shard} has no D1 binding in this Worker`);
  return binding;
}

/**
 * Where a new business lives: the shards open to new businesses (D1_SHARDS), chosen by a hash of
 * the business id so signups spread evenly without coordination. The choice is then stored in
 * `businesses.shard` — the shard map — and never recomputed.
 */
export function placeBusiness(openShards: readonly string[], businessId: string): string {
  let hash = 2166136261;
  for (let i = 0; i < businessId.length; i++) hash = Math.imul(hash ^ businessId.charCodeAt(i), 16777619) >>> 0;
  return openShards[hash % openShards.length]!;
}

export interface PassLocation {
  businessId: string | null;
  shard: string;
}

// Serial prefix → business and shard. Cached per isolate for a minute: a business is only ever
// moved with its writes paused for longer than that (README "Scaling").
const LOCATION_TTL_MS = 60_000;
const locations = new Map<string, { location: PassLocation | undefined; at: number }>();

/**
 * The shard that holds a pass, from its serial alone (wallet links, the PassKit web service and
 * Google callbacks carry nothing else): `PL-{business prefix}-…`. Serials from before prefixes
 * existed (two groups) were all issued on the primary shard.
 */
export async function locateSerial(control: Database, serial: string, now = Date.now()): Promise<PassLocation | undefined> {
  const parts = serial.split("-");
  if (parts.length === 3) return { businessId: null, shard: PRIMARY_SHARD };
  if (parts.length !== 4 || parts[0] !== "PL") return undefined;
  const prefix = parts[1]!;
  const cached = locations.get(prefix);
  if (cached && now - cached.at < LOCATION_TTL_MS) return cached.location;
  const row = await findBusinessBySerialPrefix(control, prefix);
  const location = row ? { businessId: row.id, shard: row.shard } : undefined;
  locations.set(prefix, { location, at: now });
  return location;
}

/**
 * Every shard in use: those the shard map names (a shard closed to new businesses still holds old
 * ones) and those open to new businesses. Read from data, not by probing the Worker's bindings.
 */
export async function shardsInUse(control: Database, openShards: readonly string[]): Promise<string[]> {
  const mapped = await placedShards(control);
  return [...new Set([PRIMARY_SHARD, ...openShards, ...mapped.map((r) => r.shard)])];
}
