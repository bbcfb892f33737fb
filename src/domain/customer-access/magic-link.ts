import { advanceGeneration } from "../../db/customer-generations";
import { insertMagicLinkEvent } from "../../db/events";
import type { Tenant } from "../../db/tenant";
import type { ThrottleDecision } from "../../durable/throttle";
import { newId } from "../../lib/ids";
import { normaliseEmail } from "../auth/accounts";
import { customerEmailHash } from "../customers";

const HOUR_MS = 60 * 60 * 1000;
/** Sign-in links one email may be sent in an hour. */
export const MAGIC_LINKS_PER_EMAIL_PER_HOUR = 5;
/**
 * Requests one client address may make in an hour, whatever the emails: enough for a household
 * or an office behind one address, too few to probe addresses or to flood a stranger's inbox.
 */
export const MAGIC_LINKS_PER_IP_PER_HOUR = 20;

/** Takes one from the named sliding window (the Throttle Durable Object). */
export type Take = (name: string, limit: number, windowMs: number) => Promise<ThrottleDecision>;

/**
 * A customer asks for a sign-in link. Whether the email holds any passes is not looked at here:
 * every request within the limits does the same work — two throttle takes and one event in the
 * control database's outbox — so neither the answer nor its timing tells an email with passes
 * from one without. The fan-out of the event decides, in the background, whether to mail.
 * Returns whether the request was within the limits (callers answer the same either way).
 */
export async function requestMagicLink(control: Tenant, take: Take, input: { email: string; clientIp: string }): Promise<boolean> {
  const email = normaliseEmail(input.email);
  const byIp = await take(`magic:ip:${input.clientIp}`, MAGIC_LINKS_PER_IP_PER_HOUR, HOUR_MS);
  if (!byIp.allowed) return false;
  const byEmail = await take(`magic:email:${await customerEmailHash(email)}`, MAGIC_LINKS_PER_EMAIL_PER_HOUR, HOUR_MS);
  if (!byEmail.allowed) return false;
  const batch = control.batch();
  batch.addEvent(insertMagicLinkEvent(control.db, { id: newId("evt"), email, now: new Date().toISOString() }));
  await batch.run();
  return true;
}

/** Every token minted for this email so far stops working: its generation moves on. */
export async function logoutEverywhere(control: Tenant, emailHash: string): Promise<void> {
  await advanceGeneration(control.db, emailHash, new Date().toISOString()).run();
}
