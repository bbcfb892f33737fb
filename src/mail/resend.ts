import type { Mailer, SendResult } from "./mailer";

/** Longer than a provider takes to accept a message, short enough that a hung connection is retried. */
const TIMEOUT_MS = 10_000;

export interface ResendConfig {
  /** The API's base URL; mail is POSTed to `{url}/emails`. */
  url: string;
  key: string;
  from: string;
}

/** The error Resend answers when an idempotency key was already used for an email it sent. */
const ALREADY_SENT = "invalid_idempotent_request";

async function errorName(response: Response): Promise<{ name: string; message: string }> {
  const body = await response.text();
  try {
    const parsed = JSON.parse(body) as { name?: unknown; message?: unknown };
    return { name: String(parsed.name ?? ""), message: String(parsed.message ?? body) };
  } catch {
    return { name: "", message: body.slice(0, 200) };
  }
}

/**
 * Email through an HTTP API in Resend's shape: `POST {url}/emails` with a bearer key and
 * `{from, to, subject, html, text}`, answered `{id}`. The delivery id travels as the
 * Idempotency-Key, so a retry after a timeout — when the first request may have been sent —
 * sends nothing twice.
 */
export function resendMailer(config: ResendConfig, fetcher: typeof fetch = fetch): Mailer {
  return {
    async send(mail, idempotencyKey): Promise<SendResult> {
      let response: Response;
      try {
        response = await fetcher(`${config.url}/emails`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${config.key}`,
            "content-type": "application/json",
            "idempotency-key": idempotencyKey,
          },
          body: JSON.stringify({ from: config.from, to: [mail.to], subject: mail.subject, html: mail.html, text: mail.text }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        return { ok: false, retry: true, error: `Email provider unreachable: ${String(error)}` };
      }
      if (response.ok) {
        const body = (await response.json().catch(() => ({}))) as { id?: unknown };
        return { ok: true, providerId: typeof body.id === "string" ? body.id : null };
      }
      const { name, message } = await errorName(response);
      // The same key with another body: an earlier attempt was sent (its link is the one to use).
      if (response.status === 409 && name === ALREADY_SENT) return { ok: true, providerId: null };
      const retry = response.status === 409 || response.status === 429 || response.status >= 500;
      return { ok: false, retry, error: `Email provider answered ${response.status}${name ? ` ${name}` : ""}: ${message}`.slice(0, 500) };
    },
  };
}
