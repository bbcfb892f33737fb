import type { Env } from "../env";
import { createDatabase, type Database } from "./client";
import { MeteredD1 } from "./metered";
import { PRIMARY_SHARD, shardDatabase } from "./shards";
import { EventOutbox, Tenant } from "./tenant";

/**
 * What one request or one queue job reaches data through: the control database, any shard by
 * name (opened once), and the outbox of events it committed. When the control database is
 * metered, every shard opened from here is metered into the same meter.
 */
export class DataContext {
  readonly outbox = new EventOutbox();
  private readonly tenants = new Map<string, Tenant>();

  constructor(
    readonly env: Env,
    readonly control: Database = createDatabase(env.DB),
  ) {}

  /** The control database as a shard: changes made there (business edits) write their events to its own outbox. */
  controlShard(): Tenant {
    return this.tenant(PRIMARY_SHARD);
  }

  tenant(shard: string): Tenant {
    let tenant = this.tenants.get(shard);
    if (!tenant) {
      const d1 = shardDatabase(this.env, shard);
      const client = this.control.$client;
      const db = createDatabase(client instanceof MeteredD1 ? new MeteredD1(d1, client.meter) : d1);
      tenant = new Tenant(shard, db, this.control, this.outbox);
      this.tenants.set(shard, tenant);
    }
    return tenant;
  }
}
