import { describe, expect, it } from "vitest";
import { request, signUp } from "../support/api";

describe("PUT /admin/businesses/{id}/plan", () => {
  it("changes the plan with the admin token", async () => {
    const session = await signUp();
    const res = await request(`/admin/businesses/${session.business.id}/plan`, {
      method: "PUT",
      headers: { "x-admin-token": "test-admin-token" },
      json: { plan: "pro" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: session.business.id, plan: "pro" });
  });

  it("refuses a missing or wrong token with 401", async () => {
    const session = await signUp();
    for (const headers of [{}, { "x-admin-token": "test-admin-tokem" }, { "x-admin-token": "" }] as Array<Record<string, string>>) {
      const res = await request(`/admin/businesses/${session.business.id}/plan`, { method: "PUT", headers, json: { plan: "pro" } });
      expect(res.status).toBe(401);
    }
  });

  it("answers 404 for an unknown business and 422 for an unknown plan", async () => {
    const headers = { "x-admin-token": "test-admin-token" };
    expect((await request("/admin/businesses/biz_nope/plan", { method: "PUT", headers, json: { plan: "pro" } })).status).toBe(404);
    const session = await signUp();
    expect(
      (await request(`/admin/businesses/${session.business.id}/plan`, { method: "PUT", headers, json: { plan: "enterprise" } })).status,
    ).toBe(422);
  });
});
