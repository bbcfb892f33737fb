import { env } from "cloudflare:test";
import type { StandInAnswer, StandInRequest } from "./apns-stand-in";

/** What the HTTP/2 APNs stand-in processed for a device token (the relay delivers there). */
export async function pushesTo(token: string): Promise<StandInRequest[]> {
  return (await fetch(`${env.APNS_STAND_IN_CONTROL}/requests?token=${encodeURIComponent(token)}`)).json();
}

/** How many pushes the stand-in processed for each token. */
export async function deliveryCounts(tokens: string[]): Promise<number[]> {
  return (await fetch(`${env.APNS_STAND_IN_CONTROL}/deliveries`, { method: "POST", body: JSON.stringify({ tokens }) })).json();
}

/** Waits until the stand-in processed `count` pushes for the token (queue consumers run in the background). */
export async function waitForPushes(token: string, count = 1, timeoutMs = 15_000): Promise<StandInRequest[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await pushesTo(token);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} push(es) to ${token}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How the stand-in answers pushes to the token from now on. */
export async function answerPushes(token: string, answer: StandInAnswer): Promise<void> {
  await fetch(`${env.APNS_STAND_IN_CONTROL}/answer`, { method: "POST", body: JSON.stringify({ token, ...answer }) });
}
