import { env, SELF } from "cloudflare:test";
import { DataContext } from "../../src/db/data-context";
import { shardDatabase } from "../../src/db/shards";
import type { Tenant } from "../../src/db/tenant";

export const API = "https://api.passlite.test/api/v1";

export interface Session {
  access_token: string;
  refresh_token: string;
  user: { id: string; email: string };
  business: { id: string; name: string; plan: string };
}

let counter = 0;
export const uniqueEmail = (label = "owner") => `${label}-${Date.now()}-${++counter}@example.test`;

export function request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return SELF.fetch(path.startsWith("http") ? path : `${API}${path}`, { ...init, headers, body });
}

export const bearer = (session: Session, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${session.access_token}`,
  ...extra,
});
export const keyAuth = (key: string, extra: Record<string, string> = {}) => ({ "x-api-key": key, ...extra });

export async function signUp(overrides: Partial<{ email: string; password: string; business_name: string }> = {}): Promise<Session> {
  const res = await request("/auth/signup", {
    method: "POST",
    json: { email: uniqueEmail(), password: "correct horse battery", business_name: "Demo Cafe", ...overrides },
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function setPlan(businessId: string, plan: "free" | "pro"): Promise<void> {
  const res = await request(`/admin/businesses/${businessId}/plan`, {
    method: "PUT",
    headers: { "x-admin-token": env.ADMIN_TOKEN ?? "" },
    json: { plan },
  });
  if (res.status !== 200) throw new Error(`set plan failed: ${res.status} ${await res.text()}`);
}

export async function createKey(
  session: Session,
  body: { name?: string; mode?: "live" | "test"; scopes?: string[] } = {},
): Promise<string> {
  const res = await request(`/businesses/${session.business.id}/api-keys`, {
    method: "POST",
    headers: bearer(session),
    json: { name: "Test key", mode: "live", ...body },
  });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/** A new member of the owner's business: invited, and accepted by setting a password. */
export async function joinAs(owner: Session, role: "admin" | "staff"): Promise<Session> {
  const invite = await json<{ invite_token: string }>(
    await request(`/businesses/${owner.business.id}/members`, {
      method: "POST",
      headers: bearer(owner),
      json: { email: uniqueEmail(role), role },
    }),
    201,
  );
  return json(
    await request("/auth/accept-invite", { method: "POST", json: { token: invite.invite_token, password: "staff password 1" } }),
    200,
  );
}

/** A Pro business with a live and a test key: the usual starting point for API tests. */
export async function proBusiness() {
  const session = await signUp();
  await setPlan(session.business.id, "pro");
  const [liveKey, testKey] = await Promise.all([createKey(session), createKey(session, { mode: "test" })]);
  return { session, businessId: session.business.id, liveKey, testKey };
}

export async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function createTemplate(businessId: string, key: string, body: Record<string, unknown>) {
  return json(await request(`/businesses/${businessId}/templates`, { method: "POST", headers: keyAuth(key), json: body }), 201);
}

export async function issue(businessId: string, key: string, body: Record<string, unknown>) {
  return json(await request(`/businesses/${businessId}/passes`, { method: "POST", headers: keyAuth(key), json: body }), 201);
}

/** A Pro business with one template of each kind it asks for. */
export async function businessWithTemplates() {
  const biz = await proBusiness();
  const [loyalty, giftCard, ticket] = await Promise.all([
    createTemplate(biz.businessId, biz.liveKey, { name: "Coffee card", type: "loyalty", stamp_goal: 10 }),
    createTemplate(biz.businessId, biz.liveKey, { name: "Gift card", type: "gift_card" }),
    createTemplate(biz.businessId, biz.liveKey, { name: "Gig", type: "event_ticket", event: { name: "The Band", venue: "Hall" } }),
  ]);
  return { ...biz, loyalty, giftCard, ticket };
}

/** The business's shard name, from the shard map in the control database. */
export async function shardNameOf(businessId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT shard FROM businesses WHERE id = ?").bind(businessId).first<{ shard: string }>();
  if (!row) throw new Error(`no business ${businessId}`);
  return row.shard;
}

/** The D1 database that holds the business's passes, for tests that look underneath the API. */
export async function shardOf(businessId: string): Promise<D1Database> {
  return shardDatabase(env, await shardNameOf(businessId));
}

export async function tenantOf(businessId: string): Promise<Tenant> {
  return new DataContext(env).tenant(await shardNameOf(businessId));
}

/** A Pro business that the placement put on `shard` (placement hashes the random id, so a few signups find one). */
export async function businessOn(shard: string, overrides: Parameters<typeof signUp>[0] = {}) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const session = await signUp(overrides);
    if ((await shardNameOf(session.business.id)) !== shard) continue;
    await setPlan(session.business.id, "pro");
    return { session, businessId: session.business.id, key: await createKey(session) };
  }
  throw new Error(`no business landed on ${shard}`);
}
