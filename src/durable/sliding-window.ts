const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the oldest counted request leaves the window. */
  resetAt: number;
  /** Seconds until a request would be admitted again (0 when allowed). */
  retryAfter: number;
}

/**
 * A sliding log of the last minute's admissions, so no burst at a window edge passes twice the
 * limit. Kept in the object's SQLite so a restart does not hand out a fresh minute.
 */
export class SlidingWindow {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL)`);
  }

  consume(limit: number, now: number): RateDecision {
    this.sweep(now);
    const { count, oldest } = this.sql
      .exec<{ count: number; oldest: number | null }>(`SELECT COUNT(*) AS count, MIN(at) AS oldest FROM hits`)
      .one();
    const resetMs = (oldest ?? now) + WINDOW_MS;
    const resetAt = Math.ceil(resetMs / 1000);
    if (count >= limit) {
      return { allowed: false, limit, remaining: 0, resetAt, retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)) };
    }
    this.sql.exec(`INSERT INTO hits (at) VALUES (?)`, now);
    return { allowed: true, limit, remaining: limit - count - 1, resetAt, retryAfter: 0 };
  }

  sweep(now: number): void {
    this.sql.exec(`DELETE FROM hits WHERE at <= ?`, now - WINDOW_MS);
  }
}
