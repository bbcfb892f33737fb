import { ApiError } from "../../lib/errors";

/** One name a guess counts against, how many guesses it gets free, and what a right guess does to its count. */
export interface Guess {
  name: string;
  free: number;
  /** `reset` for the thing guessed at (an account), `undo` for where guesses come from (an IP shared by many). */
  onSuccess: "reset" | "undo";
}

/** Where guesses are counted (the Throttle objects): growing delays once a name's free guesses are spent. */
export interface GuessLimiter {
  /** Counts a guess against every name; refuses it with 429 and `Retry-After` while any of them must wait. */
  begin(guesses: readonly Guess[]): Promise<void>;
  succeeded(guesses: readonly Guess[]): Promise<void>;
}

/**
 * Sign-ins, refreshes and invitations from one client IP (`CF-Connecting-IP`): an office shares
 * one, so it gets more. None when the address is unknown (only off Cloudflare).
 */
export const authGuessesFrom = (ip: string | undefined): Guess[] => (ip ? [{ name: `auth:ip:${ip}`, free: 20, onSuccess: "undo" }] : []);
/** Passwords tried for one account (by the email's hash, so unknown emails are throttled alike). */
export const passwordGuessesFor = (emailHash: string): Guess => ({ name: `login:account:${emailHash}`, free: 5, onSuccess: "reset" });
/** Invalid API keys presented from one client IP. */
export const apiKeyGuessesFrom = (ip: string | undefined): Guess[] => (ip ? [{ name: `key:ip:${ip}`, free: 20, onSuccess: "undo" }] : []);

export function tooManyGuesses(retryAfter: number): ApiError {
  return new ApiError("rate_limited", `Too many attempts. Retry in ${retryAfter}s.`, { headers: { "Retry-After": String(retryAfter) } });
}

/** Runs `guess` as one counted attempt: refused while throttled, taken back (or cleared) when it succeeds. */
export async function guarded<T>(limiter: GuessLimiter, guesses: readonly Guess[], guess: () => Promise<T>): Promise<T> {
  await limiter.begin(guesses);
  const result = await guess();
  await limiter.succeeded(guesses);
  return result;
}
