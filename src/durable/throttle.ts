import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { wakeBy } from "./alarms";
import { Backoff, type BackoffDecision, type BackoffPolicy } from "./backoff";

export interface ThrottleDecision {
  allowed: boolean;
  /** Takes still allowed in the window after this one (0 when refused). */
  remaining: number;
  /** Seconds until a take would be allowed again (0 when allowed). */
  retryAfter: number;
}

/**
 * Abuse limits for one name — `magic:email:<hash>`, `magic:ip:<address>`, `login:account:<hash>` —
 * so they need no table of their own: a sliding-window count (`take`) and growing delays for
 * guessing (`attempt`). One instance per name, single-threaded, so concurrent calls are counted
 * exactly. Each take is a row that carries its own expiry, so one name may be taken against
 * windows of different lengths; an alarm deletes what has expired and, once nothing is left, the
 * whole instance's storage.
 */
export class Throttle extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Whether the takes table exists: made on the first take, dropped with everything when the last expires. */
  private ready = false;
  private delays: Backoff | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
  }

  private takes(): SqlStorage {
    if (!this.ready) this.sql.exec("CREATE TABLE IF NOT EXISTS takes (at INTEGER NOT NULL, expires_at INTEGER NOT NULL)");
    this.ready = true;
    return this.sql;
  }

  /** Counts one take when fewer than `limit` were allowed in the last `windowMs`; refused takes are not counted. */
  async take(limit: number, windowMs: number, now = Date.now()): Promise<ThrottleDecision> {
    const { count, oldest } = this.takes()
      .exec<{ count: number; oldest: number | null }>("SELECT COUNT(*) AS count, MIN(at) AS oldest FROM takes WHERE at > ?", now - windowMs)
      .one();
    if (count >= limit) {
      const freesAt = (oldest ?? now) + windowMs;
      return { allowed: false, remaining: 0, retryAfter: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
    }
    this.sql.exec("INSERT INTO takes (at, expires_at) VALUES (?, ?)", now, now + windowMs);
    await wakeBy(this.ctx.storage, now + windowMs);
    return { allowed: true, remaining: limit - count - 1, retryAfter: 0 };
  }

  /** Begins a guess (see Backoff): refused while the name waits out its delay. */
  async attempt(policy: BackoffPolicy, now = Date.now()): Promise<BackoffDecision> {
    const decision = this.backoff().attempt(policy, now);
    await wakeBy(this.ctx.storage, this.backoff().forgetAt() ?? now);
    return decision;
  }

  /** The guess begun by `attempt` was right. */
  succeeded(how: "reset" | "undo"): void {
    this.backoff().succeeded(how);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.takes();
    sql.exec("DELETE FROM takes WHERE expires_at <= ?", now);
    this.backoff().sweep(now);
    const { next } = sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM takes").one();
    const wake = [next ?? undefined, this.backoff().forgetAt()].filter((at) => at !== undefined);
    if (wake.length > 0) return this.ctx.storage.setAlarm(Math.min(...wake));
    // Nothing left to remember: the instance keeps no storage at all until its next call.
    await this.ctx.storage.deleteAll();
    this.ready = false;
    this.delays = undefined;
  }

  private backoff(): Backoff {
    this.delays ??= new Backoff(this.sql);
    return this.delays;
  }
}

/** The throttle for one name. */
export function throttleFor(namespace: DurableObjectNamespace<Throttle>, name: string): DurableObjectStub<Throttle> {
  return namespace.get(namespace.idFromName(name));
}
