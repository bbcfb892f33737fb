/**
 * Sign-ins of one user that were ended (logout) while their access tokens may still be unexpired.
 * A row is kept only as long as such a token could live, so the table stays small.
 */
export class EndedSessions {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS ended_sessions (id TEXT PRIMARY KEY, until INTEGER NOT NULL)`);
  }

  end(sessionId: string, until: number): void {
    this.sql.exec(
      `INSERT INTO ended_sessions (id, until) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET until = MAX(until, excluded.until)`,
      sessionId,
      until,
    );
  }

  has(sessionId: string): boolean {
    return this.sql.exec(`SELECT 1 FROM ended_sessions WHERE id = ?`, sessionId).toArray().length > 0;
  }

  /** Forgets sessions whose tokens have all expired; returns when the next one will have, if any. */
  sweep(now: number): number | undefined {
    this.sql.exec(`DELETE FROM ended_sessions WHERE until <= ?`, now);
    const { next } = this.sql.exec<{ next: number | null }>(`SELECT MIN(until) AS next FROM ended_sessions`).one();
    return next ?? undefined;
  }
}
