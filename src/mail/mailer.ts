import type { Config } from "../config";
import type { Database } from "../db/client";
import { devOutboxMailer } from "./dev-outbox";
import { resendMailer } from "./resend";

/** One email, ready to go: HTML and plain text, the same words. */
export interface Mail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export type SendResult =
  | { ok: true; providerId: string | null }
  /** `retry`: the provider may accept it later (5xx, 429, a timeout); otherwise it never will. */
  | { ok: false; retry: boolean; error: string };

/** Where mail goes. `idempotencyKey` names the delivery: sending it again sends nothing new. */
export interface Mailer {
  send(mail: Mail, idempotencyKey: string): Promise<SendResult>;
}

/**
 * The provider when EMAIL_API_KEY is set; in development without one, the console and the
 * development outbox (GET /dev/outbox). Elsewhere there is none: printing sign-in links into
 * production logs would hand them to whoever reads the logs.
 */
export function mailerFor(config: Config, control: Database): Mailer | null {
  if (config.EMAIL_API_KEY && config.EMAIL_FROM)
    return resendMailer({ url: config.EMAIL_API_URL, key: config.EMAIL_API_KEY, from: config.EMAIL_FROM });
  if (config.ENVIRONMENT === "development") return devOutboxMailer(control);
  return null;
}
