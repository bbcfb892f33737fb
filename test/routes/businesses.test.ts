import { describe, expect, it } from "vitest";
import { bearer, keyAuth, proBusiness, request, signUp } from "../support/api";

describe("GET/PATCH /businesses/me", () => {
  it("returns the business with its defaults", async () => {
    const session = await signUp({ business_name: "Corner Bakery" });
    const res = await request("/businesses/me", { headers: bearer(session) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: session.business.id,
      name: "Corner Bakery",
      plan: "free",
      timezone: "UTC",
      currency: "GBP",
      brand_colors: { background: null, foreground: null, label: null },
    });
  });

  it("updates name, timezone, currency and brand colours", async () => {
    const session = await signUp();
    const res = await request("/businesses/me", {
      method: "PATCH",
      headers: bearer(session),
      json: { name: "Renamed", timezone: "Europe/Paris", currency: "EUR", brand_colors: { background: "#112233" } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: "Renamed",
      timezone: "Europe/Paris",
      currency: "EUR",
      brand_colors: { background: "#112233", foreground: null },
    });
  });

  it("rejects an unknown timezone, currency or colour with the fields named", async () => {
    const session = await signUp();
    const res = await request("/businesses/me", {
      method: "PATCH",
      headers: bearer(session),
      json: { timezone: "Mars/Olympus", currency: "XYZ", brand_colors: { label: "red" } },
    });
    expect(res.status).toBe(422);
    const { error } = await res.json<{ error: { fields: Array<{ path: string }> } }>();
    expect(error.fields.map((f) => f.path).sort()).toEqual(["brand_colors.label", "currency", "timezone"]);
  });

  it("does not let an API key change business settings", async () => {
    const { liveKey } = await proBusiness();
    expect((await request("/businesses/me", { headers: keyAuth(liveKey) })).status).toBe(200);
    expect((await request("/businesses/me", { method: "PATCH", headers: keyAuth(liveKey), json: { name: "x" } })).status).toBe(403);
  });
});

describe("authentication and business boundaries", () => {
  it("answers 401 without credentials", async () => {
    const res = await request("/businesses/me");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: "unauthorized", message: expect.stringContaining("Missing credentials"), status: 401 },
    });
  });

  it("answers 403 when valid credentials ask for another business", async () => {
    const mine = await proBusiness();
    const theirs = await signUp();
    for (const headers of [bearer(mine.session), keyAuth(mine.liveKey)]) {
      const res = await request(`/businesses/${theirs.business.id}/members`, { headers });
      expect(res.status).toBe(403);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe("forbidden");
    }
  });

  it("rejects an unknown X-PassLite-Mode", async () => {
    const session = await signUp();
    const res = await request("/businesses/me", { headers: bearer(session, { "x-passlite-mode": "staging" }) });
    expect(res.status).toBe(400);
  });
});
