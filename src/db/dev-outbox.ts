import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { allRows, statement } from "./statements";

export interface DevOutboxRow {
  id: string;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  created_at: string;
}

export function insertDevMail(db: Database, mail: Omit<DevOutboxRow, "created_at">) {
  return statement(
    db,
    sql`INSERT INTO dev_outbox (id, recipient, subject, html, text) VALUES (${mail.id}, ${mail.recipient}, ${mail.subject}, ${mail.html}, ${mail.text}) ON CONFLICT (id) DO NOTHING`,
  );
}

/** Newest first, optionally only one recipient's. */
export function listDevMail(db: Database, filter: { recipient?: string; limit: number }) {
  const where = filter.recipient ? sql`WHERE lower(recipient) = ${filter.recipient.toLowerCase()}` : sql``;
  return allRows<DevOutboxRow>(db, sql`SELECT * FROM dev_outbox ${where} ORDER BY created_at DESC, id DESC LIMIT ${filter.limit}`);
}
