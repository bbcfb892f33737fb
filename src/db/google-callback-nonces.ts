import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { statement } from "./statements";

/** Claims a callback's nonce; a statement that changes no row means it was seen before. */
export function claimNonce(db: Database, nonce: string) {
  return statement(db, sql`INSERT INTO google_callback_nonces (nonce) VALUES (${nonce}) ON CONFLICT DO NOTHING RETURNING nonce`);
}
