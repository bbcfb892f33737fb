/** Failures are forgotten a day after the last attempt. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;

export interface BackoffPolicy {
  /** Attempts allowed without delay. */
  free: number;
}

export type BackoffDecision = { allowed: true } | { allowed: false; retryAfter: number };

/**
 * Growing delays for guessing (passwords, invitation tokens, API keys): `free` attempts, then each
 * one more waits twice as long as the last — 1 s, 2 s, 4 s … at most 15 minutes. An attempt counts
 * as failed when it begins, so concurrent guesses cannot slip through before the first is judged;
 * a success takes its count back (`undo`) or clears the name (`reset`, for the account itself).
 */
export class Backoff {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS backoff (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      failures INTEGER NOT NULL,
      blocked_until INTEGER NOT NULL,
      last_at INTEGER NOT NULL
    )`);
  }

  attempt(policy: BackoffPolicy, now: number): BackoffDecision {
    const state = this.state(now);
    if (state.blocked_until > now) return { allowed: false, retryAfter: Math.ceil((state.blocked_until - now) / 1000) };
    const failures = state.failures + 1;
    const over = failures - policy.free;
    const blockedUntil = over > 0 ? now + Math.min(FIRST_DELAY_MS * 2 ** (over - 1), MAX_DELAY_MS) : 0;
    this.sql.exec(
      `INSERT INTO backoff (id, failures, blocked_until, last_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until, last_at = excluded.last_at`,
      failures,
      blockedUntil,
      now,
    );
    return { allowed: true };
  }

  /** The attempt was good: `reset` forgets every failure; `undo` takes back this attempt's count only. */
  succeeded(how: "reset" | "undo"): void {
    if (how === "reset") this.sql.exec(`DELETE FROM backoff`);
    else this.sql.exec(`UPDATE backoff SET failures = MAX(0, failures - 1)`);
  }

  /** When the state may be forgotten, if there is any. */
  forgetAt(): number | undefined {
    const row = this.sql.exec<{ last_at: number }>(`SELECT last_at FROM backoff`).toArray()[0];
    return row ? row.last_at + FORGET_AFTER_MS : undefined;
  }

  sweep(now: number): void {
    this.sql.exec(`DELETE FROM backoff WHERE last_at <= ?`, now - FORGET_AFTER_MS);
  }

  private state(now: number): { failures: number; blocked_until: number } {
    this.sweep(now);
    return (
      this.sql.exec<{ failures: number; blocked_until: number }>(`SELECT failures, blocked_until FROM backoff`).toArray()[0] ?? {
        failures: 0,
        blocked_until: 0,
      }
    );
  }
}
