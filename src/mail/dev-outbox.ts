import type { Database } from "../db/client";
import { insertDevMail } from "../db/dev-outbox";
import type { Mailer } from "./mailer";

/**
 * Development without a provider: each email is printed (so `npm run dev` shows the link) and
 * kept in the control database's dev_outbox for GET /dev/outbox. The idempotency key is the
 * row's id, so a repeat keeps one copy, as a provider would send one.
 */
export function devOutboxMailer(control: Database): Mailer {
  return {
    async send(mail, idempotencyKey) {
      console.log(`\n── email (development outbox, not sent) ──\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n──`);
      await insertDevMail(control, {
        id: idempotencyKey,
        recipient: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
      }).run();
      return { ok: true, providerId: idempotencyKey };
    },
  };
}
