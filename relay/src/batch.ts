/**
 * The body of `POST /push`:
 *   { "authorization": "bearer <ES256 provider token>",
 *     "notifications": [{ "token", "topic", "pushType", "priority", "payload"?, "environment"? }, …] }
 * The Worker keeps the APNs key and mints the token; the relay only forwards it.
 */

export const MAX_NOTIFICATIONS = 1000;

export type Environment = "production" | "sandbox";

export interface Notification {
  /** Device token: the path segment of /3/device/<token>. */
  token: string;
  /** apns-topic: for Wallet, the Pass Type ID. */
  topic: string;
  /** apns-push-type, e.g. background. */
  pushType: string;
  /** apns-priority: 1, 5 or 10. */
  priority: 1 | 5 | 10;
  /** The JSON body sent to Apple, already serialized. */
  payload: string;
  environment: Environment;
}

export interface PushBatch {
  authorization: string;
  notifications: Notification[];
}

export type Parsed = { ok: true; batch: PushBatch } | { ok: false; status: 400 | 413; error: string };

const TOKEN = /^[0-9A-Za-z_-]{1,200}$/;
const TOPIC = /^[\x21-\x7e]{1,255}$/;
const PUSH_TYPE = /^[a-z]{1,32}$/;
const PROVIDER_TOKEN = /^bearer [\w-]+\.[\w-]+\.[\w-]+$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function notification(value: unknown, index: number): Notification | string {
  const at = `notifications[${index}]`;
  if (!isObject(value)) return `${at} must be an object`;
  const { token, topic, pushType, priority, payload = {}, environment = "production" } = value;
  if (typeof token !== "string" || !TOKEN.test(token)) return `${at}.token must be 1-200 letters, digits, '-' or '_'`;
  if (typeof topic !== "string" || !TOPIC.test(topic)) return `${at}.topic must be a non-empty printable string`;
  if (typeof pushType !== "string" || !PUSH_TYPE.test(pushType)) return `${at}.pushType must be an APNs push type such as "background"`;
  if (priority !== 1 && priority !== 5 && priority !== 10) return `${at}.priority must be 1, 5 or 10`;
  if (!isObject(payload)) return `${at}.payload must be a JSON object`;
  if (environment !== "production" && environment !== "sandbox") return `${at}.environment must be "production" or "sandbox"`;
  return { token, topic, pushType, priority, payload: JSON.stringify(payload), environment };
}

export function parseBatch(text: string): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: "body must be JSON" };
  }
  if (!isObject(body)) return { ok: false, status: 400, error: "body must be a JSON object" };
  const { authorization, notifications } = body;
  if (typeof authorization !== "string" || !PROVIDER_TOKEN.test(authorization)) {
    return { ok: false, status: 400, error: 'authorization must be "bearer <provider token JWT>"' };
  }
  if (!Array.isArray(notifications) || notifications.length === 0) {
    return { ok: false, status: 400, error: "notifications must be a non-empty array" };
  }
  if (notifications.length > MAX_NOTIFICATIONS) {
    return { ok: false, status: 413, error: `at most ${MAX_NOTIFICATIONS} notifications per request` };
  }
  const parsed: Notification[] = [];
  for (const [index, value] of notifications.entries()) {
    const result = notification(value, index);
    if (typeof result === "string") return { ok: false, status: 400, error: result };
    parsed.push(result);
  }
  return { ok: true, batch: { authorization, notifications: parsed } };
}
