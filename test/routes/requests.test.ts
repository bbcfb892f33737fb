import { describe, expect, it } from "vitest";
import { bearer, businessWithTemplates, issue, json, keyAuth, request } from "../support/api";

interface Envelope {
  error: { code: string; message: string; status: number; fields?: Array<{ path: string; message: string }> };
}

async function expectEnvelope(res: Response, status: number, code: string): Promise<Envelope["error"]> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await res.json<Envelope>();
  expect(body.error).toMatchObject({ code, status });
  return body.error;
}

const MB = 1024 * 1024;
/** A JSON object of exactly `bytes` bytes. */
const jsonOfSize = (bytes: number) => `{"pad":"${"x".repeat(bytes - 10)}"}`;

describe("request bodies", () => {
  it("answers a JSON body over 1 MB with 413 before reading it, and one under the limit as usual", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const url = `/businesses/${businessId}/passes`;
    const headers = keyAuth(liveKey, { "content-type": "application/json" });
    const error = await expectEnvelope(await request(url, { method: "POST", headers, body: jsonOfSize(MB + 1) }), 413, "payload_too_large");
    expect(error.message).toBe("Request bodies must be at most 1 MB");
    // Without a Content-Length the body is counted as it streams in, and cut off at the limit.
    const streamed = new Blob([jsonOfSize(2 * MB)]).stream();
    const res = await request(url, { method: "POST", headers, body: streamed, duplex: "half" } as RequestInit);
    await expectEnvelope(res, 413, "payload_too_large");
    // Anonymous callers meet the limit too: nothing is read before it.
    await expectEnvelope(
      await request("/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: jsonOfSize(MB + 1) }),
      413,
      "payload_too_large",
    );
    const body = JSON.stringify({ template_id: loyalty.id, metadata: { note: "x".repeat(400) } });
    expect((await request(url, { method: "POST", headers, body })).status).toBe(201);
  });

  it("allows 5 MB on the bulk endpoints", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const url = `/businesses/${businessId}/passes/bulk`;
    const headers = keyAuth(liveKey, { "content-type": "application/json" });
    // 2 MB passes the size limit and fails validation instead.
    await expectEnvelope(await request(url, { method: "POST", headers, body: jsonOfSize(2 * MB) }), 422, "validation_error");
    const error = await expectEnvelope(
      await request(url, { method: "PATCH", headers, body: jsonOfSize(5 * MB + 1) }),
      413,
      "payload_too_large",
    );
    expect(error.message).toBe("Request bodies must be at most 5 MB");
  });

  it("accepts only UTF-8 JSON: another charset or media type is 415", async () => {
    const { session } = await businessWithTemplates();
    for (const contentType of ["application/json; charset=utf-16", "application/json;charset=ISO-8859-1", "text/plain"]) {
      const res = await request("/businesses/me", {
        method: "PATCH",
        headers: bearer(session, { "content-type": contentType }),
        body: JSON.stringify({ name: "Renamed" }),
      });
      const error = await expectEnvelope(res, 415, "unsupported_media_type");
      expect(error.message, contentType).toBe("Content-Type must be application/json with UTF-8 (or no) charset");
    }
    for (const contentType of ["application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json"]) {
      const res = await request("/businesses/me", {
        method: "PATCH",
        headers: bearer(session, { "content-type": contentType }),
        body: JSON.stringify({ name: "Renamed" }),
      });
      expect(res.status, contentType).toBe(200);
    }
  });
});

describe("paths and query strings", () => {
  it("answers a trailing slash with 404 on every kind of route", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    for (const [method, path] of [
      ["GET", "/businesses/me/"],
      ["PATCH", "/businesses/me/"],
      ["GET", `/businesses/${businessId}/passes/`],
      ["GET", `/businesses/${businessId}/passes/${pass.id}/`],
      ["POST", `/businesses/${businessId}/passes/${pass.id}/stamp/`],
      ["POST", "/auth/login/"],
      ["GET", `/businesses/${businessId}/templates/${loyalty.id}/`],
    ] as const) {
      const res = await request(path, { method, headers: keyAuth(liveKey) });
      const error = await expectEnvelope(res, 404, "not_found");
      expect(error.message).toBe(`No route matches ${method} /api/v1${path}`);
      expect(res.headers.get("allow")).toBeNull();
    }
    // The canonical paths still answer, and a wrong method on one is still 405.
    expect((await request("/businesses/me", { headers: keyAuth(liveKey) })).status).toBe(200);
    expect((await request("/businesses/me", { method: "PUT", headers: keyAuth(liveKey) })).status).toBe(405);
  });

  it("refuses control characters in any query value with 422 naming the parameter", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Jane Doe" });
    await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "John Smith" });
    for (const [query, field] of [
      ["q=%00zzz", "q"],
      ["q=Jane%0A", "q"],
      ["limit=10&cursor=ab%1Fc", "cursor"],
      ["status=active%7F", "status"],
    ]) {
      const res = await request(`/businesses/${businessId}/passes?${query}`, { headers: keyAuth(liveKey) });
      const error = await expectEnvelope(res, 422, "validation_error");
      expect(error.fields, query).toEqual([{ path: field, message: "Must not contain control characters (U+0000–U+001F, U+007F)" }]);
    }
    // The same rule on routes outside the authenticated API.
    await expectEnvelope(await request("https://api.passlite.test/validate/PL-1?sig=%00"), 422, "validation_error");
    const found = await json(await request(`/businesses/${businessId}/passes?q=zzz`, { headers: keyAuth(liveKey) }), 200);
    expect(found.data).toEqual([]);
    const jane = await json(await request(`/businesses/${businessId}/passes?q=Jane`, { headers: keyAuth(liveKey) }), 200);
    expect(jane.data.map((p: { customer_name: string }) => p.customer_name)).toEqual(["Jane Doe"]);
  });
});
