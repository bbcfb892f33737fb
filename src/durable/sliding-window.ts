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
 * limit. Held in memory, not in the object's SQLite: a storage write would hold every answer
 * behind a durable commit (the output gate), the largest part of a request's auth cost, while a
 * restarted object forgets at most one minute of counts.
 */
export class SlidingWindow {
  /** Admission times, oldest first. */
  private hits: number[] = [];

  consume(limit: number, now: number): RateDecision {
    this.sweep(now);
    const count = this.hits.length;
    const resetMs = (this.hits[0] ?? now) + WINDOW_MS;
    const resetAt = Math.ceil(resetMs / 1000);
    if (count >= limit) {
      return { allowed: false, limit, remaining: 0, resetAt, retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)) };
    }
    this.hits.push(now);
    return { allowed: true, limit, remaining: limit - count - 1, resetAt, retryAfter: 0 };
  }

  sweep(now: number): void {
    const firstLive = this.hits.findIndex((at) => at > now - WINDOW_MS);
    this.hits = firstLive === -1 ? [] : this.hits.slice(firstLive);
  }
}
