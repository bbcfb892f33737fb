import { DurableObject } from "cloudflare:workers";
import { touchApiKey } from "../db/api-keys";
import { createDatabase } from "../db/client";
import { type Credential, type Grant, type LoadedGrant, loadGrant } from "../domain/auth/grants";
import { PLANS } from "../domain/plans";
import type { Env } from "../env";
import type { Plan } from "../types";
import { wakeBy } from "./alarms";
import { EndedSessions } from "./ended-sessions";
import { type IdempotencyDecision, IdempotencyRecords, type StoredResponse } from "./idempotency-records";
import { type RateDecision, SlidingWindow } from "./sliding-window";

/** A backstop only: every change to a grant tells its guard at once (`forget`). */
const GRANT_TTL_MS = 5 * 60_000;
// last_used_at is a hint for the dashboard; writing it on every request would cost a D1 write per call.
const TOUCH_INTERVAL_MS = 60_000;

export type { IdempotencyDecision, RateDecision, StoredResponse };

/** D1 bookmarks by shard: where a credential's own last writes are, so its next reads see them. */
export type Bookmarks = Record<string, string>;

export interface AdmitRequest {
  credential: Credential;
  limit: number;
  idempotency?: { key: string; fingerprint: string };
  /** Tests pin the clock. */
  now?: number;
}

export type Admission =
  | { refused: "invalid_credential" }
  | { refused: "no_api_access"; plan: Plan }
  | { refused?: undefined; grant: Grant; rate: RateDecision; idempotency?: IdempotencyDecision; bookmarks: Bookmarks };

export interface Settlement {
  /** The claimed Idempotency-Key and the response to replay, or none when the request failed (5xx) and may be retried. */
  idempotency?: { key: string; response?: StoredResponse };
  bookmarks?: Bookmarks;
}

/**
 * One object per credential (an API key, by its hash, or a dashboard user), seeing every request
 * it makes. One call answers who it is, whether it may pass the rate limit, and what to do about
 * its Idempotency-Key: the grant is read from D1 on first use and held until something changes it
 * (`forget`); the count and the claims are exact because the object is single-threaded.
 */
export class CredentialGuard extends DurableObject<Env> {
  private readonly window: SlidingWindow;
  private readonly records: IdempotencyRecords;
  private readonly endedSessions: EndedSessions;
  /** Grants by business (a user may belong to several; a key has one, under ""). */
  private readonly grants = new Map<string, { loading: Promise<LoadedGrant | undefined>; at: number }>();
  private bookmarks: Bookmarks = {};
  private lastTouched = 0;
  /** Reads of the grant from D1: concurrent first uses share one. */
  grantLoads = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.window = new SlidingWindow();
    this.records = new IdempotencyRecords(ctx.storage.sql);
    this.endedSessions = new EndedSessions(ctx.storage.sql);
  }

  async admit(request: AdmitRequest): Promise<Admission> {
    const now = request.now ?? Date.now();
    const { credential } = request;
    if (credential.kind === "user" && this.endedSessions.has(credential.sessionId)) return { refused: "invalid_credential" };
    const loaded = await this.grantFor(credential, now);
    if (!loaded) return { refused: "invalid_credential" };
    const { grant } = loaded;
    if (grant.kind === "api_key" && !PLANS[grant.plan].features.api_access) return { refused: "no_api_access", plan: grant.plan };

    const rate = this.window.consume(request.limit, now);
    if (!rate.allowed) return { grant, rate, bookmarks: this.bookmarks };
    if (grant.keyId) this.touch(grant.keyId, loaded.lastUsedAt, now);
    if (!request.idempotency) return { grant, rate, bookmarks: this.bookmarks };

    const idempotency = this.records.claim(request.idempotency.key, request.idempotency.fingerprint, now);
    if (idempotency.outcome === "proceed" && (await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(this.records.sweep(now) ?? now);
    }
    return { grant, rate, idempotency, bookmarks: this.bookmarks };
  }

  /** Logout: the session's access tokens are refused from now on, until they would have expired anyway. */
  async endSession(sessionId: string, tokensValidUntil: number): Promise<void> {
    this.endedSessions.end(sessionId, tokensValidUntil);
    await wakeBy(this.ctx.storage, tokensValidUntil);
  }

  /** After a write: stores the idempotent response (or frees its key) and remembers where the writes landed. */
  settle(settlement: Settlement): void {
    const { idempotency, bookmarks } = settlement;
    if (idempotency?.response) this.records.complete(idempotency.key, idempotency.response);
    else if (idempotency) this.records.release(idempotency.key);
    for (const [shard, bookmark] of Object.entries(bookmarks ?? {})) {
      // Bookmarks sort oldest to newest; concurrent requests may settle out of order.
      if (!this.bookmarks[shard] || this.bookmarks[shard] < bookmark) this.bookmarks = { ...this.bookmarks, [shard]: bookmark };
    }
  }

  /** The grant changed in D1 (revoked, rescoped, plan changed, member removed): the next request reads it afresh. */
  forget(): void {
    this.grants.clear();
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const next = [this.records.sweep(now), this.endedSessions.sweep(now)].filter((at) => at !== undefined);
    if (next.length > 0) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  private grantFor(credential: Credential, now: number): Promise<LoadedGrant | undefined> {
    const scope = credential.kind === "user" ? credential.businessId : "";
    const cached = this.grants.get(scope);
    if (cached && now - cached.at < GRANT_TTL_MS) return cached.loading;
    this.grantLoads++;
    const loading = loadGrant(createDatabase(this.env.DB), credential);
    const entry = { loading, at: now };
    this.grants.set(scope, entry);
    // A failed read is not remembered: the next request tries again.
    loading.catch(() => this.grants.get(scope) === entry && this.grants.delete(scope));
    return loading;
  }

  private touch(keyId: string, lastUsedAt: string | null | undefined, now: number): void {
    this.lastTouched ||= lastUsedAt ? Date.parse(lastUsedAt) : 0;
    if (now - this.lastTouched < TOUCH_INTERVAL_MS) return;
    this.lastTouched = now;
    this.ctx.waitUntil(
      touchApiKey(createDatabase(this.env.DB), keyId, new Date(now).toISOString()).then(
        () => undefined,
        () => undefined,
      ),
    );
  }
}
