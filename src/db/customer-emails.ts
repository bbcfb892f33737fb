import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { allRows, statement } from "./statements";

/** Records that a business holds live passes for this email hash (idempotent; never removed, so a superset). */
export function indexCustomerEmails(db: Database, businessId: string, emailHashes: string[]) {
  return emailHashes.map((hash) =>
    statement(db, sql`INSERT INTO customer_emails (email_hash, business_id) VALUES (${hash}, ${businessId}) ON CONFLICT DO NOTHING`),
  );
}

export function businessesForEmail(db: Database, emailHash: string) {
  return allRows<{ business_id: string }>(db, sql`SELECT business_id FROM customer_emails WHERE email_hash = ${emailHash}`);
}

/** The businesses the index names for an email hash, with their rows (name, shard, colours). */
export function businessesOfCustomer(db: Database, emailHash: string) {
  return statement(
    db,
    sql`
    SELECT businesses.* FROM customer_emails JOIN businesses ON businesses.id = customer_emails.business_id
    WHERE customer_emails.email_hash = ${emailHash}`,
  );
}
