import type { Database } from "./client";

/** Ids of the events a request or job committed, by shard, to be queued once it is done. */
export class EventOutbox {
  private readonly byShard = new Map<string, string[]>();

  add(shard: string, eventId: string): void {
    const ids = this.byShard.get(shard) ?? [];
    ids.push(eventId);
    this.byShard.set(shard, ids);
  }

  get empty(): boolean {
    return this.byShard.size === 0;
  }

  /** Everything added so far, emptying the outbox. */
  drain(): Array<{ shard: string; events: string[] }> {
    const out = [...this.byShard].map(([shard, events]) => ({ shard, events }));
    this.byShard.clear();
    return out;
  }
}

/**
 * The databases one business's work uses: its shard (`db`: templates, passes, ledger, events…)
 * and the control database (`control`: accounts, businesses, keys, global indexes). Domain code
 * reaches data only through a Tenant, so every query is scoped to one business's shard.
 */
export class Tenant {
  private session: Database | undefined;

  constructor(
    /** The shard's binding name, e.g. "DB" or "DB_SHARD_1": what queue messages carry to find it again. */
    readonly shard: string,
    readonly db: Database,
    readonly control: Database,
    private readonly outbox: EventOutbox,
    private readonly openSession: () => Database,
  ) {}

  /**
   * The shard through a D1 session that may read from the nearest read replica: for lookups whose
   * answer the following write re-checks (a replica can be a moment behind the primary). One
   * session per request, so its reads never go back in time.
   */
  get replica(): Database {
    this.session ??= this.openSession();
    return this.session;
  }

  batch(): Batch {
    return new Batch(this.db, (eventId) => this.outbox.add(this.shard, eventId));
  }
}

/** One statement's outcome, read through the handle `Batch.add` returned. */
export class StatementResult {
  private result: D1Result | undefined;

  /** @internal set by Batch.run */
  settle(result: D1Result): void {
    this.result = result;
  }

  rows<T>(): T[] {
    if (!this.result) throw new Error("The batch has not run yet");
    return this.result.results as T[];
  }

  first<T>(): T | undefined {
    return this.rows<T>()[0];
  }
}

/**
 * An event row's insert, with the id it writes. The insert may be conditional and write nothing;
 * it returns the row it wrote (RETURNING), which is how the batch knows.
 */
export interface EventInsert {
  id: string;
  statement: D1PreparedStatement;
}

/**
 * Statements that commit together or not at all (a D1 batch is one transaction). Each `add`
 * returns a handle to that statement's result, so callers read results by name, not position.
 * Events added with `addEvent` go to the outbox once the batch has committed — the one path by
 * which every change reaches wallets, webhooks and whatever else follows a change.
 */
export class Batch {
  private readonly entries: Array<{ statement: D1PreparedStatement; result: StatementResult }> = [];
  private readonly events: Array<{ id: string; result: StatementResult }> = [];

  constructor(
    private readonly db: Database,
    private readonly committed: (eventId: string) => void,
  ) {}

  add(statement: D1PreparedStatement): StatementResult {
    const result = new StatementResult();
    this.entries.push({ statement, result });
    return result;
  }

  addEvent(event: EventInsert): StatementResult {
    const result = this.add(event.statement);
    this.events.push({ id: event.id, result });
    return result;
  }

  get size(): number {
    return this.entries.length;
  }

  async run(): Promise<void> {
    if (this.entries.length === 0) return;
    const results = await this.db.$client.batch(this.entries.map((e) => e.statement));
    for (const [i, entry] of this.entries.entries()) entry.result.settle(results[i]!);
    for (const event of this.events) if (event.result.rows().length > 0) this.committed(event.id);
  }
}
