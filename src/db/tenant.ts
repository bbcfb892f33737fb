import type { Database } from "./client";

/**
 * The databases one business's work uses: its shard (`db`: templates, passes, ledger, events…)
 * and the control database (`control`: accounts, businesses, keys, global indexes). Domain code
 * reaches data only through a Tenant, so every query is scoped to one business's shard.
 */
export class Tenant {
  constructor(
    /** The shard's binding name, e.g. "DB" or "DB_SHARD_1": what queue messages carry to find it again. */
    readonly shard: string,
    readonly db: Database,
    readonly control: Database,
  ) {}

  batch(): Batch {
    return new Batch(this.db);
  }
}

/** One statement's outcome, read through the handle `Batch.add` returned. */
export class StatementResult {
  private result: D1Result | undefined;

  /** @internal set by Batch.run */
  settle(result: D1Result): void {
    this.result = result;
  }

  private get settled(): D1Result {
    if (!this.result) throw new Error("The batch has not run yet");
    return this.result;
  }

  rows<T>(): T[] {
    return this.settled.results as T[];
  }

  first<T>(): T | undefined {
    return this.rows<T>()[0];
  }

  /** Rows the statement inserted, updated or deleted. */
  get changes(): number {
    return this.settled.meta.changes;
  }
}

/**
 * Statements that commit together or not at all (a D1 batch is one transaction). Each `add`
 * returns a handle to that statement's result, so callers read results by name, not position.
 */
export class Batch {
  private readonly entries: Array<{ statement: D1PreparedStatement; result: StatementResult }> = [];

  constructor(private readonly db: Database) {}

  add(statement: D1PreparedStatement): StatementResult {
    const result = new StatementResult();
    this.entries.push({ statement, result });
    return result;
  }

  get size(): number {
    return this.entries.length;
  }

  async run(): Promise<void> {
    if (this.entries.length === 0) return;
    const results = await this.db.$client.batch(this.entries.map((e) => e.statement));
    for (const [i, entry] of this.entries.entries()) entry.result.settle(results[i]!);
  }
}
