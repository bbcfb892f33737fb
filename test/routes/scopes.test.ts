import { describe, expect, it } from "vitest";
import { bearer, businessWithTemplates, issue, joinAs, json, keyAuth, request } from "../support/api";

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
    const staff = await joinAs(session, "staff");
    expect((await request(`/businesses/${businessId}/passes/${pass.id}`, { headers: bearer(staff) })).status).toBe(200);
    expect((await request(`/businesses/${businessId}/passes/${pass.id}/checkin`, { method: "POST", headers: bearer(staff) })).status).toBe(
      200,
    );
    expect((await request(`/businesses/${businessId}/passes/${pass.id}`, { method: "DELETE", headers: bearer(staff) })).status).toBe(403);
  });
});

describe("scanning permissions", () => {
  it("keys with the scan scope and staff may scan; keys without it may not, whatever else they hold", async () => {
    const { session, businessId, liveKey, ticket } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: ticket.id });
    const keyWith = async (scopes: string[]) =>
      (
        await json(
          await request(`/businesses/${businessId}/api-keys`, {
            method: "POST",
            headers: bearer(session),
            json: { name: "k", mode: "live", scopes },
          }),
          201,
        )
      ).key as string;
    const scanOnly = await keyWith(["scan"]);
    const readWrite = await keyWith(["passes:read", "passes:write", "templates:write", "webhooks:write"]);
    const scanBody = (action: string) => ({ code: pass.serial_number, action });

    for (const action of ["verify", "checkin"]) {
      const refused = await request(`/businesses/${businessId}/scan`, {
        method: "POST",
        headers: keyAuth(readWrite),
        json: scanBody(action),
      });
      expect(refused.status, action).toBe(403);
      expect((await refused.json<any>()).error.message).toBe("This API key does not have the scan permission");
    }
    expect(
      (await request(`/businesses/${businessId}/passes/${pass.id}/checkin`, { method: "POST", headers: keyAuth(readWrite) })).status,
    ).toBe(403);
    expect(
      (await request(`/businesses/${businessId}/scan`, { method: "POST", headers: keyAuth(scanOnly), json: scanBody("verify") })).status,
    ).toBe(200);
    expect(
      (await request(`/businesses/${businessId}/scan`, { method: "POST", headers: keyAuth(scanOnly), json: scanBody("checkin") })).status,
    ).toBe(200);
    // Re-issuing a barcode changes the pass: a write, which a door key cannot do.
    expect(
      (await request(`/businesses/${businessId}/passes/${pass.id}/rotate-barcode`, { method: "POST", headers: keyAuth(scanOnly) })).status,
    ).toBe(403);
    expect(
      (await request(`/businesses/${businessId}/passes/${pass.id}/rotate-barcode`, { method: "POST", headers: keyAuth(readWrite) })).status,
    ).toBe(200);

    const staff = await joinAs(session, "staff");
    const verified = await request(`/businesses/${businessId}/scan`, { method: "POST", headers: bearer(staff), json: scanBody("verify") });
    expect(verified.status).toBe(200);
    expect(verified.headers.get("x-ratelimit-limit")).toBeTruthy();
    expect(
      (await request(`/businesses/${businessId}/passes/${pass.id}/rotate-barcode`, { method: "POST", headers: bearer(staff) })).status,
    ).toBe(403);
  });

  it("verify is rate limited like any request", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const res = await request(`/businesses/${businessId}/scan`, {
      method: "POST",
      headers: keyAuth(liveKey),
      json: { code: pass.serial_number, action: "verify" },
    });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("x-ratelimit-remaining"))).toBeLessThan(Number(res.headers.get("x-ratelimit-limit")));
  });
});
