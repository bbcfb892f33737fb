import { sha256Hex } from "../lib/crypto";
import { normaliseEmail } from "./auth/accounts";

/** How the global email index names a customer: the SHA-256 of the normalised email, never the email itself. */
export const customerEmailHash = (email: string) => sha256Hex(`customer-email:${normaliseEmail(email)}`);
