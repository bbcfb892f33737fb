import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { statement } from "./statements";

/** The email's current token generation (0 until its holder first logs out everywhere). */
export function generationOf(db: Database, emailHash: string) {
  return statement(
    db,
    sql`SELECT COALESCE((SELECT generation FROM customer_generations WHERE email_hash = ${emailHash}), 0) AS generation`,
  );
}

/** Moves the email's generation on: every token minted before stops working. Returns the new one. */
export function advanceGeneration(db: Database, emailHash: string, now: string) {
  return statement(
    db,
    sql`
    INSERT INTO customer_generations (email_hash, generation, updated_at) VALUES (${emailHash}, 1, ${now})
    ON CONFLICT (email_hash) DO UPDATE SET generation = generation + 1, updated_at = ${now}
    RETURNING generation`,
  );
}
