import { describe, expect, it } from "vitest";
import { bearer, businessWithTemplates, issue, json, keyAuth, request } from "../support/api";

describe("API key scopes", () => {
  it("a scan-only key can check in but not stamp, issue or read templates' writes", async () => {
    const { session, businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const { key } = await json(
      await request(`/businesses/${businessId}/api-keys`, {
        method: "POST",
        headers: bearer(session),
        json: { name: "Door", mode: "live", scopes: ["scan"] },
      }),
      201,
    );
    expect((await request(`/businesses/${businessId}/passes/${pass.id}/checkin`, { method: "POST", headers: keyAuth(key) })).status).toBe(
      200,
    );
    const refused = await request(`/businesses/${businessId}/passes/${pass.id}/stamp`, { method: "POST", headers: keyAuth(key) });
    expect(refused.status).toBe(403);
    expect((await refused.json<any>()).error.message).toBe("This API key does not have the passes:write permission");
    expect(
      (await request(`/businesses/${businessId}/passes`, { method: "POST", headers: keyAuth(key), json: { template_id: loyalty.id } }))
        .status,
    ).toBe(403);
    expect((await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: keyAuth(key) })).status).toBe(403);
  });

  it("a read-only key reads but does not write", async () => {
    const { session, businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const { key } = await json(
      await request(`/businesses/${businessId}/api-keys`, {
        method: "POST",
        headers: bearer(session),
        json: { name: "BI", mode: "live", scopes: ["passes:read"] },
      }),
      201,
    );
    expect((await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: keyAuth(key) })).status).toBe(200);
    expect(
      (
        await request(`/businesses/${businessId}/passes/${pass.id}`, {
          method: "PATCH",
          headers: keyAuth(key),
          json: { customer_name: "x" },
        })
      ).status,
    ).toBe(403);
  });

  it("staff can read and check in, but not change passes", async () => {
    const { session, businessId, liveKey, ticket } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: ticket.id });
    const invite = await json(
      await request(`/businesses/${businessId}/members`, {
        method: "POST",
        headers: bearer(session),
        json: { email: `door-${Date.now()}@example.test`, role: "staff" },
      }),
      201,
    );
    const staff = await json(
      await request("/auth/accept-invite", { method: "POST", json: { token: invite.invite_token, password: "door staff pass" } }),
      200,
    );
    expect((await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: bearer(staff) })).status).toBe(200);
    expect((await request(`/businesses/${businessId}/passes/${pass.id}/checkin`, { method: "POST", headers: bearer(staff) })).status).toBe(
      200,
    );
    expect((await request(`/businesses/${businessId}/passes/${pass.id}`, { method: "DELETE", headers: bearer(staff) })).status).toBe(403);
  });
});
