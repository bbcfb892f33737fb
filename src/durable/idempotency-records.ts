export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request still "running" after this long is presumed dead and its key may be retried. */
const IDEMPOTENCY_LEASE_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

export type IdempotencyDecision =
  | { outcome: "proceed" }
  | { outcome: "replay"; response: StoredResponse }
  | { outcome: "in_progress" }
  | { outcome: "mismatch" };

interface RecordRow extends Record<string, SqlStorageValue> {
  fingerprint: string;
  state: string;
  status: number | null;
  body: string | null;
  content_type: string | null;
  created_at: number;
  lease_until: number;
}

/**
 * `Idempotency-Key` records of one credential. The object is single-threaded, so concurrent
 * duplicates see each other's claim.
 */
export class IdempotencyRecords {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS idempotency (
      key TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      state TEXT NOT NULL,
      status INTEGER,
      body TEXT,
      content_type TEXT,
      created_at INTEGER NOT NULL,
      lease_until INTEGER NOT NULL
    )`);
  }

  claim(key: string, fingerprint: string, now: number): IdempotencyDecision {
    const existing = this.sql
      .exec<RecordRow>(`SELECT fingerprint, state, status, body, content_type, created_at, lease_until FROM idempotency WHERE key = ?`, key)
      .toArray()[0];
    const expired = existing && existing.created_at <= now - IDEMPOTENCY_TTL_MS;
    const abandoned = existing && existing.state === "running" && existing.lease_until <= now;
    if (existing && !expired && !abandoned) {
      if (existing.fingerprint !== fingerprint) return { outcome: "mismatch" };
      if (existing.state === "running") return { outcome: "in_progress" };
      return {
        outcome: "replay",
        response: { status: existing.status ?? 200, body: existing.body ?? "", contentType: existing.content_type ?? "application/json" },
      };
    }
    this.sql.exec(
      `INSERT OR REPLACE INTO idempotency (key, fingerprint, state, created_at, lease_until) VALUES (?, ?, 'running', ?, ?)`,
      key,
      fingerprint,
      now,
      now + IDEMPOTENCY_LEASE_MS,
    );
    return { outcome: "proceed" };
  }

  /** Stores the response of a claimed key so repeats replay it. */
  complete(key: string, response: StoredResponse): void {
    this.sql.exec(
      `UPDATE idempotency SET state = 'done', status = ?, body = ?, content_type = ? WHERE key = ?`,
      response.status,
      response.body,
      response.contentType,
      key,
    );
  }

  /** Forgets a claimed key (the request failed with a 5xx), so a retry runs afresh. */
  release(key: string): void {
    this.sql.exec(`DELETE FROM idempotency WHERE key = ? AND state = 'running'`, key);
  }

  /** Drops expired records; returns when the next one expires, if any remain. */
  sweep(now: number): number | undefined {
    this.sql.exec(`DELETE FROM idempotency WHERE created_at <= ?`, now - IDEMPOTENCY_TTL_MS);
    const { oldest } = this.sql.exec<{ oldest: number | null }>(`SELECT MIN(created_at) AS oldest FROM idempotency`).one();
    return oldest === null ? undefined : oldest + IDEMPOTENCY_TTL_MS;
  }
}
