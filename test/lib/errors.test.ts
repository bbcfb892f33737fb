import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/lib/create-app";
import { request, signUp } from "../support/api";

describe("the error envelope", () => {
  it("answers unknown routes with 404 not_found", async () => {
    const res = await request("/nothing/here");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No route matches GET /api/v1/nothing/here", status: 404 } });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers a wrong method on a known path with 405 and Allow", async () => {
    const res = await request("/auth/login", { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect((await res.json<{ error: { code: string; status: number } }>()).error).toMatchObject({
      code: "method_not_allowed",
      status: 405,
    });
  });

  it("answers malformed JSON with 400 bad_request", async () => {
    const res = await request("/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe("bad_request");
  });

  it("answers a non-JSON body with 415 unsupported_media_type", async () => {
    const res = await request("/auth/login", { method: "POST", headers: { "content-type": "text/plain" }, body: "email=x" });
    expect(res.status).toBe(415);
    expect((await res.json<{ error: { code: string; message: string } }>()).error).toMatchObject({
      code: "unsupported_media_type",
      message: "Content-Type must be application/json with UTF-8 (or no) charset",
    });
  });

  it("answers a missing body with 422 naming the fields", async () => {
    const res = await request("/auth/login", { method: "POST" });
    expect(res.status).toBe(422);
    const { error } = await res.json<{ error: { code: string; fields: Array<{ path: string }> } }>();
    expect(error.code).toBe("validation_error");
    expect(error.fields.map((f) => f.path)).toEqual(["email", "password"]);
  });

  it("echoes a caller's X-Request-Id and adds one to every response", async () => {
    const session = await signUp();
    const res = await request("/businesses/me", {
      headers: { authorization: `Bearer ${session.access_token}`, "x-request-id": "trace-123" },
    });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });
});

describe("unexpected exceptions", () => {
  it("become a 500 internal_error envelope with no stack or message leaked", async () => {
    const app = createApp();
    app.get("/boom", () => {
      throw new Error("SQLITE_CONSTRAINT: secret table details");
    });
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await app.request("/boom", {}, env);
    expect(res.status).toBe(500);
    // The operator's log gets the detail the client must not see.
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]![0])).toContain("SQLITE_CONSTRAINT: secret table details");
    log.mockRestore();
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal_error", message: "An unexpected error occurred. Please try again.", status: 500 },
    });
    expect(text).not.toContain("SQLITE");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});
