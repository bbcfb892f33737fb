import type { Env } from "../env";
import { createDatabase, type Database } from "./client";
import { D1Meter, MeteredD1 } from "./metered";
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
      const meter = client instanceof MeteredD1 ? client.meter : undefined;
      const db = createDatabase(meter ? new MeteredD1(d1, meter) : d1);
      // "first-unconstrained": the first read goes to whichever copy is nearest, replica or primary.
      const openSession = () => createDatabase(new MeteredD1(d1.withSession("first-unconstrained"), meter ?? new D1Meter()));
      tenant = new Tenant(shard, db, this.control, this.outbox, openSession);
      this.tenants.set(shard, tenant);
    }
    return tenant;
  }
}
