import { ADMIN_TOKEN } from "../harness";

export async function call<T>(origin: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${origin}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? (undefined as T) : res.json<T>();
}

/** A Pro business with a live key, made through the public API. */
export async function benchBusiness(origin: string) {
  const session = await call<{ access_token: string; business: { id: string } }>(origin, "/api/v1/auth/signup", {
    method: "POST",
    body: JSON.stringify({ email: `bench-${crypto.randomUUID()}@example.test`, password: "bench password", business_name: "Bench Cafe" }),
  });
  const businessId = session.business.id;
  await call(origin, `/api/v1/admin/businesses/${businessId}/plan`, {
    method: "PUT",
    headers: { "x-admin-token": ADMIN_TOKEN },
    body: JSON.stringify({ plan: "pro" }),
  });
  const { key } = await call<{ key: string }>(origin, `/api/v1/businesses/${businessId}/api-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${session.access_token}` },
    body: JSON.stringify({ name: "bench", mode: "live" }),
  });
  return { businessId, key, bearer: session.access_token };
}

/** A bench business with a 10-stamp loyalty template: where the pass suites start. */
export async function benchLoyaltyCard(origin: string) {
  const { businessId, key } = await benchBusiness(origin);
  const headers = { "x-api-key": key };
  const template = await call<{ id: string }>(origin, `/api/v1/businesses/${businessId}/templates`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Bench card", type: "loyalty", stamp_goal: 10 }),
  });
  return { businessId, key, headers, templateId: template.id };
}

/** What one request cost in stateful calls, as the bench Worker meters it (`x-bench-meter`). */
export interface RequestCost {
  d1Calls: number;
  rowsRead: number;
  /** D1 calls whose rows D1 does not report (`raw()`). */
  unmetered: number;
  objectCalls: number;
}

export async function meteredCall(origin: string, path: string, init: RequestInit = {}): Promise<RequestCost> {
  const res = await fetch(`${origin}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), "x-bench-meter": "1" } });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  const header = (name: string) => Number(res.headers.get(name));
  return {
    d1Calls: header("x-bench-d1-calls"),
    rowsRead: header("x-bench-d1-rows-read"),
    unmetered: header("x-bench-d1-unmetered"),
    objectCalls: header("x-bench-do-calls"),
  };
}
