import { env } from "cloudflare:test";
import { API, request } from "./api";
import { type RecordedRequest, recorded } from "./recorder";

/** Where the Worker's mail arrives in tests: the recorder, in Resend's shape (vitest.config.ts EMAIL_API_URL). */
export const EMAIL_PATH = "/resend/emails";

export interface SentMail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

export interface ReceivedMail {
  request: RecordedRequest;
  body: SentMail;
}

/** Every email the recorder received for this address (the recorder keeps every attempt, answered or not). */
export async function mailTo(address: string): Promise<ReceivedMail[]> {
  return (await recorded(EMAIL_PATH))
    .map((request) => ({ request, body: JSON.parse(request.body) as SentMail }))
    .filter((mail) => mail.body.to.includes(address));
}

export async function waitForMail(address: string, count = 1, timeoutMs = 20_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await mailTo(address);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} email(s) to ${address}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sign-in token in a magic-link email's plain-text link. */
export function tokenIn(mail: ReceivedMail): string {
  const match = /\/my-passes\?token=([A-Za-z0-9._-]+)/.exec(mail.body.text);
  if (!match) throw new Error(`no sign-in link in: ${mail.body.text}`);
  return match[1]!;
}

let ipCounter = 0;
/** A client address of its own, so one test's requests never use up another's per-address limit. */
export const freshIp = () => `198.51.${Math.floor(Math.random() * 250)}.${(++ipCounter % 250) + 1}`;

export function askForLink(email: string, ip: string) {
  return request(`${API}/public/customer/magic-link`, { method: "POST", headers: { "cf-connecting-ip": ip }, json: { email } });
}

/** Asks for a link and returns the token it brought (the email must hold live passes). */
export async function signInAs(email: string, ip = freshIp()): Promise<string> {
  const before = (await mailTo(email)).length;
  const res = await askForLink(email, ip);
  if (res.status !== 200) throw new Error(`magic link: ${res.status} ${await res.text()}`);
  const mails = await waitForMail(email, before + 1);
  return tokenIn(mails.at(-1)!);
}

export const customerPassesWith = (token: string) => request(`/public/customer/passes?token=${encodeURIComponent(token)}`);

export const recorderOrigin = () => env.RECORDER_ORIGIN;
