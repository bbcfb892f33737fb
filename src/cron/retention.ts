import type { DataContext } from "../db/data-context";
import { deleteEvents, dispatchedEventsBefore } from "../db/events";
import type { Env } from "../env";
import { chunk } from "../lib/chunk";
import { idBoundary } from "../lib/ids";

const PER_RUN = 5000;
const DAY_MS = 86_400_000;

/**
 * Keeps D1 small as history grows: events older than EVENT_RETENTION_DAYS (and already fanned
 * out) are written to R2 as NDJSON, one object per shard and run, then deleted. The ledger is
 * never pruned — balances must always equal the sum of their ledger — so only the history's
 * snapshots leave D1, and they stay readable in the archive.
 */
export async function archiveOldEvents(
  env: Env,
  data: DataContext,
  shards: string[],
  retentionDays: number,
  now = Date.now(),
): Promise<number> {
  const boundary = idBoundary("evt", now - retentionDays * DAY_MS);
  let archived = 0;
  for (const shard of shards) {
    const { db } = data.tenant(shard);
    const events = await dispatchedEventsBefore(db, boundary, PER_RUN);
    if (events.length === 0) continue;
    const body = `${events.map((e) => JSON.stringify({ ...e, data: JSON.parse(e.data) })).join("\n")}\n`;
    const key = `events/${shard}/${new Date(now).toISOString().slice(0, 10)}/${events[0]!.id}-${events.at(-1)!.id}.ndjson`;
    await env.ARCHIVE.put(key, body, { httpMetadata: { contentType: "application/x-ndjson" } });
    // Only after the archive holds them.
    for (const ids of chunk(
      events.map((e) => e.id),
      90,
    ))
      await deleteEvents(db, ids).run();
    archived += events.length;
  }
  return archived;
}
