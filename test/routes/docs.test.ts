import { describe, expect, it } from "vitest";
import { request } from "../support/api";

describe("the OpenAPI document", () => {
  it("describes every route from the same schemas that validate", async () => {
    const res = await request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[] }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    }>();
    expect(doc.openapi).toBe("3.1.0");
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of [
      "POST /api/v1/auth/signup",
      "POST /api/v1/auth/login",
      "GET /api/v1/businesses/me",
      "POST /api/v1/businesses/{business_id}/api-keys",
      "DELETE /api/v1/businesses/{business_id}/api-keys/{key_id}",
      "PUT /api/v1/admin/businesses/{business_id}/plan",
      "POST /api/v1/businesses/{business_id}/templates",
      "PUT /api/v1/businesses/{business_id}/templates/{template_id}/images/{slot}",
      "POST /api/v1/businesses/{business_id}/passes",
      "POST /api/v1/businesses/{business_id}/passes/bulk",
      "PATCH /api/v1/businesses/{business_id}/passes/bulk",
      "GET /api/v1/businesses/{business_id}/passes/{identifier}",
      "PATCH /api/v1/businesses/{business_id}/passes/{identifier}",
      "DELETE /api/v1/businesses/{business_id}/passes/{identifier}",
      "POST /api/v1/businesses/{business_id}/passes/{identifier}/charge",
      "POST /api/v1/businesses/{business_id}/passes/{identifier}/reactivate",
      "GET /api/v1/businesses/{business_id}/passes/lookup/email/{email}",
      "GET /api/v1/businesses/{business_id}/passes/{identifier}/events",
      "POST /api/v1/wallet/apple/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}",
      "GET /api/v1/wallet/apple/v1/passes/{passTypeIdentifier}/{serialNumber}",
      "POST /api/v1/wallet/google/callback",
      "GET /pass/{serial_number}/{token}",
    ]) {
      expect(routes, route).toContain(route);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Error", "PlanLimit", "Pass", "Template", "BulkIssueResult"]),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["AdminToken", "ApiKey", "Bearer"]);
    expect(doc.paths["/api/v1/businesses/{business_id}/passes"]!.post!.security).toEqual([{ ApiKey: [] }, { Bearer: [] }]);
  });

  it("renders a readable reference at /docs", async () => {
    const res = await request("https://api.passlite.test/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("PassLite API");
    expect(html).toContain("/api/v1/businesses/{business_id}/passes/bulk");
  });
});
