import { env } from "cloudflare:test";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What the local stand-in for an external service received, filtered by path prefix. */
export async function recorded(prefix: string): Promise<RecordedRequest[]> {
  return (await fetch(`${env.RECORDER_ORIGIN}/__requests?prefix=${encodeURIComponent(prefix)}`)).json();
}

/** Waits until at least `count` requests under `prefix` arrived (queue consumers run in the background). */
export async function waitForRecorded(prefix: string, count = 1, timeoutMs = 15_000): Promise<RecordedRequest[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await recorded(prefix);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} request(s) under ${prefix}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function program(answer: {
  method?: string;
  path: string;
  bodyIncludes?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}) {
  await fetch(`${env.RECORDER_ORIGIN}/__program`, { method: "POST", body: JSON.stringify(answer) });
}

/** The access token Google's stand-in hands out, the same in every test file (they share one recorder). */
export const GOOGLE_ACCESS_TOKEN = "ya29.test-token";

export function answerGoogleTokens() {
  return program({
    path: "/oauth2/token",
    status: 200,
    body: { access_token: GOOGLE_ACCESS_TOKEN, expires_in: 3600, token_type: "Bearer" },
  });
}
