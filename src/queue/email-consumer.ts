import { type Config, loadConfig } from "../config";
import { generationOf } from "../db/customer-generations";
import { DataContext } from "../db/data-context";
import type { EmailDeliveryRow, Settlement } from "../db/deliveries";
import { findEvents } from "../db/events";
import { findPassByIdUnscoped } from "../db/passes";
import type { Tenant } from "../db/tenant";
import { presentCustomerPass } from "../domain/customer-access/passes";
import { CUSTOMER_TOKEN_TTL_SECONDS, mintCustomerToken } from "../domain/customer-access/token";
import { customerEmailHash } from "../domain/customers";
import type { Env } from "../env";
import { type Mail, type Mailer, mailerFor } from "../mail/mailer";
import { magicLinkMail } from "../mail/messages/magic-link";
import { passIssuedMail } from "../mail/messages/pass-issued";
import { loadPassContext } from "../wallet/context";
import { claimAttempts, nextAttemptAt, settleAttempts } from "./deliveries";
import type { DeliveryMessage } from "./messages";

/** Longer than a send can take (10 s), so a lease never lapses under a live attempt. */
const LEASE_MS = 60_000;

/** The email a delivery sends, or why it is no longer wanted. */
type Composed = { mail: Mail } | { skip: Settlement };

/**
 * A sign-in link, minted now from the request's own time: it expires 15 minutes after the
 * customer asked, and every attempt of this delivery mints the very same token (same claims,
 * deterministic HS256), so a retry repeats the request the provider may already have sent.
 */
async function composeMagicLink(config: Config, tenant: Tenant, delivery: EmailDeliveryRow, now: number): Promise<Composed> {
  const [event] = await findEvents(tenant.db, [delivery.event_id]);
  if (!event) return { skip: { status: "failed", error: "The request event no longer exists" } };
  const { email } = JSON.parse(event.data) as { email: string };
  const issuedAt = Math.floor(Date.parse(event.created_at) / 1000);
  if (now / 1000 >= issuedAt + CUSTOMER_TOKEN_TTL_SECONDS)
    return { skip: { status: "failed", error: "Not sent before the link would have expired" } };
  const row = await generationOf(tenant.control, await customerEmailHash(email)).first<{ generation: number }>();
  const token = await mintCustomerToken(config.JWT_SECRET, { email, generation: row!.generation, jti: delivery.id, issuedAt });
  return { mail: await magicLinkMail({ to: email, link: `${config.APP_ORIGIN}/my-passes?token=${encodeURIComponent(token)}` }) };
}

/** A new pass by email, as it is now: a pass voided or stripped of its email since is not mailed. */
async function composePassIssued(config: Config, tenant: Tenant, delivery: EmailDeliveryRow): Promise<Composed> {
  const pass = delivery.pass_id ? await findPassByIdUnscoped(tenant.db, delivery.pass_id) : undefined;
  if (!pass?.customer_email || pass.mode !== "live" || pass.status === "voided") return { skip: { status: "superseded" } };
  const ctx = await loadPassContext(tenant, pass);
  if (!ctx) return { skip: { status: "failed", error: "The pass's template or business no longer exists" } };
  return {
    mail: await passIssuedMail({
      to: pass.customer_email,
      customerName: pass.customer_name,
      pass: await presentCustomerPass(config, ctx),
      myPassesUrl: `${config.APP_ORIGIN}/my-passes`,
    }),
  };
}

/** After a failed send: the next try on the schedule, or giving up. */
function retryOrGiveUp(config: Config, attempt: number, error: string, retry: boolean): Settlement {
  const delay = retry ? config.EMAIL_RETRY_SCHEDULE[attempt - 1] : undefined;
  if (delay === undefined) return { status: "failed", error: retry ? `${error}; gave up after ${attempt} attempts` : error };
  return { status: "pending", error, nextAttemptAt: nextAttemptAt(delay) };
}

async function deliver(env: Env, config: Config, mailer: Mailer | null, tenant: Tenant, message: Message<DeliveryMessage>): Promise<void> {
  const [claimed] = await claimAttempts<EmailDeliveryRow>(tenant, "email_deliveries", [message], LEASE_MS);
  if (!claimed) return;
  const delivery = claimed.row;
  const settle = (settlement: Settlement) => settleAttempts(tenant, "email_deliveries", env.EMAIL_QUEUE, [{ message, settlement }]);
  if (!mailer) return settle({ status: "failed", error: "No email provider is configured (EMAIL_API_KEY)" });
  const composed =
    delivery.kind === "magic_link"
      ? await composeMagicLink(config, tenant, delivery, Date.now())
      : await composePassIssued(config, tenant, delivery);
  if ("skip" in composed) return settle(composed.skip);
  const result = await mailer.send(composed.mail, `passlite-email/${delivery.id}`);
  if (result.ok) return settle({ status: "succeeded" });
  return settle(retryOrGiveUp(config, message.body.attempt, result.error, result.retry));
}

/**
 * The email consumer: each delivery is one email, sent once, retried on the schedule while the
 * provider fails. One at a time (and one batch at a time, wrangler.toml max_concurrency): email
 * providers limit sends per second, and a bulk issue of 500 passes must not meet that as 500
 * simultaneous 429s.
 */
export async function consumeEmailDeliveries(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const data = new DataContext(env);
  const mailer = mailerFor(config, data.control);
  for (const message of batch.messages) {
    try {
      await deliver(env, config, mailer, data.tenant(message.body.shard), message);
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", message: "email delivery failed", delivery: message.body.delivery, error: String(error) }),
      );
      message.retry({ delaySeconds: 30 });
    }
  }
}
