import type { Env } from "../env";
import { createDatabase, type Database } from "./client";
import { D1Meter, MeteredD1 } from "./metered";
import { PRIMARY_SHARD, shardDatabase } from "./shards";
import { EventOutbox, Tenant } from "./tenant";

/** D1 bookmarks by database binding name. */
export type Bookmarks = Record<string, string>;

/**
 * What one request or one queue job reaches data through: the control database, any shard by
 * name, and the outbox of events it committed. Each database is opened once, as one D1 session,
 * so every read that follows a write in the same request sees it. Sessions start at the primary
 * unless `allowReplicaReads` says otherwise; every call is counted into `meter`.
 */
export class DataContext {
  readonly outbox = new EventOutbox();
  private readonly sessions = new Map<string, { session: MeteredD1; db: Database }>();
  private readonly tenants = new Map<string, Tenant>();
  private replicaReads: Bookmarks | undefined;

  constructor(
    readonly env: Env,
    readonly meter = new D1Meter(),
  ) {}

  get control(): Database {
    return this.database(PRIMARY_SHARD);
  }

  /** The control database as a shard: changes made there (business edits) write their events to its own outbox. */
  controlShard(): Tenant {
    return this.tenant(PRIMARY_SHARD);
  }

  tenant(shard: string): Tenant {
    let tenant = this.tenants.get(shard);
    if (!tenant) {
      tenant = new Tenant(shard, this.database(shard), this.control, this.outbox, () => this.nearestCopy(shard));
      this.tenants.set(shard, tenant);
    }
    return tenant;
  }

  /**
   * Lets databases not yet opened serve reads from a replica, as long as it has caught up with
   * `bookmarks` (the caller's own last writes): a read-only API request far from the primary is
   * answered nearby, and still sees everything its credential wrote before.
   */
  allowReplicaReads(bookmarks: Bookmarks): void {
    this.replicaReads = bookmarks;
  }

  /** Where this request's sessions ended: pass them to the next session that must see these writes. */
  bookmarks(): Bookmarks {
    const out: Bookmarks = {};
    for (const [name, { session }] of this.sessions) {
      const bookmark = session.getBookmark();
      if (bookmark) out[name] = bookmark;
    }
    return out;
  }

  /**
   * A second session on the shard whose first read goes to whichever copy is nearest, replica or
   * primary: for lookups that the following write re-checks on the primary.
   */
  private nearestCopy(name: string): Database {
    return createDatabase(new MeteredD1(shardDatabase(this.env, name).withSession("first-unconstrained"), this.meter));
  }

  private database(name: string): Database {
    let opened = this.sessions.get(name);
    if (!opened) {
      const start = this.replicaReads ? (this.replicaReads[name] ?? "first-unconstrained") : "first-primary";
      const session = new MeteredD1(shardDatabase(this.env, name).withSession(start), this.meter);
      opened = { session, db: createDatabase(session) };
      this.sessions.set(name, opened);
    }
    return opened.db;
  }
}
