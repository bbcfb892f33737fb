import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

const dialect = new SQLiteAsyncDialect();

/**
 * Conditional writes (UPDATE … WHERE <rule> RETURNING, INSERT … SELECT … WHERE changes() = 1)
 * are written as drizzle `sql` and run as D1 prepared statements, so they can share one
 * D1 batch — one transaction — with their ledger and event rows.
 */
export function statement(db: Database, query: SQL): D1PreparedStatement {
  const { sql, params } = dialect.sqlToQuery(query);
  return db.$client.prepare(sql).bind(...params);
}

export async function runBatch(db: Database, statements: D1PreparedStatement[]): Promise<D1Result[]> {
  return statements.length ? db.$client.batch(statements) : [];
}

export async function allRows<T>(db: Database, query: SQL): Promise<T[]> {
  return (await statement(db, query).all<T>()).results;
}

export async function firstRow<T>(db: Database, query: SQL): Promise<T | undefined> {
  return (await statement(db, query).first<T>()) ?? undefined;
}
