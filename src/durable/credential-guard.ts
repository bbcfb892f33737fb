import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

const WINDOW_MS = 60_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request still "running" after this long is presumed dead and its key may be retried. */
const IDEMPOTENCY_LEASE_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the oldest counted request leaves the window. */
  resetAt: number;
  /** Seconds until a request would be admitted again (0 when allowed). */
  retryAfter: number;
}

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

export interface Admission {
  rate: RateDecision;
  idempotency?: IdempotencyDecision;
}

/**
 * One instance per credential (API key or dashboard user). Being single-threaded, it counts
 * requests exactly — a sliding log of the last minute's admissions, so no burst at a window
 * edge passes twice the limit — and it serialises idempotency decisions, so concurrent
 * duplicates see each other.
 */
export class CredentialGuard extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS idempotency (
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

  /** Counts the request against the limit and, when it carries an idempotency key, claims it. */
  async admit(limit: number, idempotency?: { key: string; fingerprint: string }, now = Date.now()): Promise<Admission> {
    const rate = this.consume(limit, now);
    if (!rate.allowed || !idempotency) return { rate };
    return { rate, idempotency: await this.claim(idempotency.key, idempotency.fingerprint, now) };
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

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.sql.exec(`DELETE FROM idempotency WHERE created_at <= ?`, now - IDEMPOTENCY_TTL_MS);
    this.sql.exec(`DELETE FROM hits WHERE at <= ?`, now - WINDOW_MS);
    const next = this.sql.exec<{ oldest: number | null }>(`SELECT MIN(created_at) AS oldest FROM idempotency`).one();
    if (next.oldest !== null) await this.ctx.storage.setAlarm(next.oldest + IDEMPOTENCY_TTL_MS);
  }

  private consume(limit: number, now: number): RateDecision {
    this.sql.exec(`DELETE FROM hits WHERE at <= ?`, now - WINDOW_MS);
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

  private async claim(key: string, fingerprint: string, now: number): Promise<IdempotencyDecision> {
    const existing = this.sql
      .exec<{
        fingerprint: string;
        state: string;
        status: number | null;
        body: string | null;
        content_type: string | null;
        created_at: number;
        lease_until: number;
      }>(`SELECT fingerprint, state, status, body, content_type, created_at, lease_until FROM idempotency WHERE key = ?`, key)
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
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + IDEMPOTENCY_TTL_MS);
    return { outcome: "proceed" };
  }
}
