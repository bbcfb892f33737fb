import { defaultFetch, describeError, type FetchLike } from "../signing-keys";

/**
 * How pass-update pushes reach Apple: straight from the Worker (`directTransport`), or as batches
 * through the APNs relay (`relayTransport`), which speaks HTTP/2 to Apple for us.
 */

export const DEFAULT_APNS_ORIGIN = "https://api.push.apple.com";

/** One device to tell that a pass changed. */
export interface PushTarget {
  pushToken: string;
  /** The apns-topic: the pass's Pass Type ID. */
  passTypeIdentifier: string;
}

/** Apple's answer to one push; status 0 when none came, with `reason` saying why. */
export interface ApnsAnswer {
  status: number;
  reason?: string;
}

export interface ApnsTransport {
  /** Sends an empty background push to each target with the provider token; one answer per target, in order. */
  send(authorization: string, targets: PushTarget[]): Promise<ApnsAnswer[]>;
}

// What Wallet expects: an empty background push at priority 5; the device then asks our web service for the pass.
const PASS_UPDATE = { pushType: "background", priority: 5, payload: "{}" } as const;

async function readReason(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { reason?: unknown };
    if (typeof body.reason === "string") return body.reason;
  } catch {
    // Not JSON: fall through to the status text.
  }
  return res.statusText || `HTTP ${res.status}`;
}

/** One `fetch` per push to APNS_ORIGIN. Workers' fetch may not speak HTTP/2 to Apple: fine for tests, unreliable in production. */
export function directTransport(options: { origin?: string; timeoutMs?: number; fetcher?: FetchLike } = {}): ApnsTransport {
  const origin = (options.origin || DEFAULT_APNS_ORIGIN).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetcher = options.fetcher ?? defaultFetch;

  async function sendOne(authorization: string, target: PushTarget): Promise<ApnsAnswer> {
    let res: Response;
    try {
      res = await fetcher(`${origin}/3/device/${encodeURIComponent(target.pushToken)}`, {
        method: "POST",
        headers: {
          authorization,
          "apns-topic": target.passTypeIdentifier,
          "apns-push-type": PASS_UPDATE.pushType,
          "apns-priority": String(PASS_UPDATE.priority),
          "content-type": "application/json",
        },
        body: PASS_UPDATE.payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { status: 0, reason: describeError(error) };
    }
    if (res.status === 200) {
      await res.body?.cancel();
      return { status: 200 };
    }
    return { status: res.status, reason: await readReason(res) };
  }

  return { send: (authorization, targets) => Promise.all(targets.map((target) => sendOne(authorization, target))) };
}

/** The relay's limit per `POST /push`. */
export const RELAY_BATCH_LIMIT = 1000;

function relayAnswers(body: unknown, count: number): ApnsAnswer[] | null {
  if (typeof body !== "object" || body === null || !("results" in body) || !Array.isArray(body.results)) return null;
  if (body.results.length !== count) return null;
  const answers: ApnsAnswer[] = [];
  for (const result of body.results as unknown[]) {
    if (typeof result !== "object" || result === null || !("status" in result) || typeof result.status !== "number") return null;
    const reason = "reason" in result && typeof result.reason === "string" ? result.reason : undefined;
    answers.push(reason === undefined ? { status: result.status } : { status: result.status, reason });
  }
  return answers;
}

/**
 * Batches of up to 1,000 pushes, each one `POST {origin}/push` to the APNs relay (relay/), which answers
 * with Apple's status and reason per push. `fetcher` reaches the relay: plain fetch for APNS_RELAY_URL,
 * or the container binding.
 */
export function relayTransport(options: { origin: string; secret: string; fetcher?: FetchLike; timeoutMs?: number }): ApnsTransport {
  const url = `${options.origin.replace(/\/+$/, "")}/push`;
  const fetcher = options.fetcher ?? defaultFetch;
  // A cold container takes a few seconds to start before the batch itself.
  const timeoutMs = options.timeoutMs ?? 60_000;

  async function sendBatch(authorization: string, targets: PushTarget[]): Promise<ApnsAnswer[]> {
    const unanswered = (reason: string) => targets.map(() => ({ status: 0, reason }));
    let res: Response;
    try {
      res = await fetcher(url, {
        method: "POST",
        headers: { authorization: `Bearer ${options.secret}`, "content-type": "application/json" },
        body: JSON.stringify({
          authorization,
          notifications: targets.map((target) => ({
            token: target.pushToken,
            topic: target.passTypeIdentifier,
            pushType: PASS_UPDATE.pushType,
            priority: PASS_UPDATE.priority,
            payload: {},
            // Wallet registers production push tokens, whatever the pass certificate.
            environment: "production",
          })),
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return unanswered(`APNs relay unreachable: ${describeError(error)}`);
    }
    if (res.status !== 200) return unanswered(`APNs relay answered ${res.status}: ${(await res.text().catch(() => "")).slice(0, 200)}`);
    return (
      relayAnswers(await res.json().catch(() => null), targets.length) ?? unanswered("APNs relay answered without one result per push")
    );
  }

  return {
    async send(authorization, targets) {
      const batches: Array<Promise<ApnsAnswer[]>> = [];
      for (let i = 0; i < targets.length; i += RELAY_BATCH_LIMIT)
        batches.push(sendBatch(authorization, targets.slice(i, i + RELAY_BATCH_LIMIT)));
      return (await Promise.all(batches)).flat();
    },
  };
}
