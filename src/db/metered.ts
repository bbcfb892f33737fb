/** What one request (or job) spent in D1: the figures behind `Server-Timing: db` and the bench's cost counts. */
export class D1Meter {
  calls = 0;
  durationMs = 0;
  rowsRead = 0;
  rowsWritten = 0;
  /** Calls whose result carries no meta (`raw()`), so their rows are not counted. */
  unmetered = 0;

  async measure<T>(work: () => Promise<T>, meta: (result: T) => D1Meta | D1Meta[] | undefined): Promise<T> {
    const start = performance.now();
    try {
      const result = await work();
      const metas = meta(result);
      if (metas === undefined) this.unmetered++;
      for (const m of metas === undefined ? [] : Array.isArray(metas) ? metas : [metas]) {
        this.rowsRead += m.rows_read;
        this.rowsWritten += m.rows_written;
      }
      return result;
    } finally {
      this.calls++;
      this.durationMs += performance.now() - start;
    }
  }
}

class MeteredStatement implements D1PreparedStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly meter: D1Meter,
  ) {}

  bind(...values: unknown[]): D1PreparedStatement {
    return new MeteredStatement(this.inner.bind(...values), this.meter);
  }

  // `first` is answered from `all` so its rows are counted too; the rows it returns are the same.
  first<T = unknown>(colName: string): Promise<T | null>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  async first<T>(colName?: string): Promise<T | null> {
    const result = await this.all<Record<string, unknown>>();
    const row = result.results[0];
    if (row === undefined) return null;
    return (colName === undefined ? row : row[colName]) as T;
  }

  run<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.meter.measure(
      () => this.inner.run<T>(),
      (r) => r.meta,
    );
  }

  all<T = Record<string, unknown>>(): Promise<D1Result<T>> {
    return this.meter.measure(
      () => this.inner.all<T>(),
      (r) => r.meta,
    );
  }

  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
  raw<T>(options?: { columnNames?: boolean }): Promise<T[] | [string[], ...T[]]> {
    const work: () => Promise<T[] | [string[], ...T[]]> = options?.columnNames
      ? () => this.inner.raw<T>({ columnNames: true })
      : () => this.inner.raw<T>();
    return this.meter.measure(work, () => undefined);
  }
}

/**
 * A D1 database (or a D1 session) whose every call is timed and counted into `meter`. Drizzle
 * and the statement helpers use it exactly like the binding.
 */
export class MeteredD1 implements D1Database {
  constructor(
    private readonly inner: D1Database | D1DatabaseSession,
    readonly meter: D1Meter,
  ) {}

  prepare(query: string): D1PreparedStatement {
    return new MeteredStatement(this.inner.prepare(query), this.meter);
  }

  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    const inner = statements.map((s) => (s instanceof MeteredStatement ? s.inner : s));
    return this.meter.measure(
      () => this.inner.batch<T>(inner),
      (results) => results.map((r) => r.meta),
    );
  }

  exec(query: string): Promise<D1ExecResult> {
    const { inner } = this;
    if (!("exec" in inner)) throw new Error("exec is not available on a D1 session");
    return this.meter.measure(
      () => inner.exec(query),
      () => [],
    );
  }

  /** A session of the inner database, metered into the same meter. */
  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession {
    const { inner } = this;
    if (!("withSession" in inner)) throw new Error("This database is already a session");
    return new MeteredD1(inner.withSession(constraintOrBookmark), this.meter);
  }

  /** The session's latest bookmark (null for a plain database or before any query). */
  getBookmark(): D1SessionBookmark | null {
    return "getBookmark" in this.inner ? this.inner.getBookmark() : null;
  }

  dump(): Promise<ArrayBuffer> {
    throw new Error("dump() is not supported");
  }
}
