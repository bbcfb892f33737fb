import { describe, expect, it } from "vitest";
import { OPENAPI_PATH } from "../../src/routes/docs";
import { json, keyAuth, proBusiness, request } from "../support/api";
import { type JsonSchema, type OpenApiDocument, operationsOf } from "../support/openapi-fuzz";

const openApiDocument = async () => json<OpenApiDocument>(await request(`https://api.passlite.test${OPENAPI_PATH}`), 200);

function schemaAt(doc: OpenApiDocument, schema: JsonSchema | undefined, ...path: string[]): JsonSchema {
  let current = schema ?? {};
  for (const key of path) {
    while (current.$ref) current = doc.components.schemas[current.$ref.replace("#/components/schemas/", "")]!;
    current = current.properties?.[key] ?? {};
  }
  while (current.$ref) current = doc.components.schemas[current.$ref.replace("#/components/schemas/", "")]!;
  return current;
}

const bodySchema = (doc: OpenApiDocument, method: string, path: string) =>
  doc.paths[path]![method]!.requestBody!.content["application/json"]!.schema;

describe("the OpenAPI document lists every status and states the rules", () => {
  it("lists what the app-wide rules and authentication can answer on every operation", async () => {
    const doc = await openApiDocument();
    for (const { method, path, operation } of operationsOf(doc)) {
      const statuses = Object.keys(operation.responses);
      const route = `${method} ${path}`;
      expect(statuses, route).toContain("422");
      if (operation.requestBody) expect(statuses, route).toEqual(expect.arrayContaining(["400", "413", "415"]));
      if (operation.security?.some((s) => "ApiKey" in s)) {
        expect(statuses, route).toEqual(expect.arrayContaining(["401", "402", "403", "429"]));
        if (method === "POST" || method === "PATCH") expect(statuses, route).toEqual(expect.arrayContaining(["400", "409"]));
      }
    }
    const issue = doc.paths["/api/v1/businesses/{business_id}/passes"]!.post!.responses["413"]!;
    expect(issue.description).toContain("1 MB");
  });

  it("states currency codes, cooldowns, path lengths and money maxima in the schemas", async () => {
    const doc = await openApiDocument();
    expect(schemaAt(doc, bodySchema(doc, "patch", "/api/v1/businesses/me"), "currency").pattern).toBe("^[A-Z]{3}$");
    const template = bodySchema(doc, "post", "/api/v1/businesses/{business_id}/templates");
    expect(schemaAt(doc, template, "currency").anyOf?.[0]?.pattern ?? schemaAt(doc, template, "currency").pattern).toBe("^[A-Z]{3}$");
    const cooldown = JSON.stringify(schemaAt(doc, template, "scan_security", "cooldown_seconds"));
    expect(cooldown).toContain('"minimum":60');
    expect(cooldown).toContain('"maximum":86400');
    expect(cooldown).toMatch(/"const":0|"enum":\[0\]/);

    for (const { method, path, operation } of operationsOf(doc)) {
      for (const parameter of operation.parameters ?? []) {
        // An enum or a fixed-length pattern bounds a segment as well as a maxLength.
        if (parameter.in !== "path" || parameter.schema?.enum || parameter.schema?.pattern) continue;
        expect(parameter.schema?.maxLength ?? Number.POSITIVE_INFINITY, `${method} ${path} {${parameter.name}}`).toBeLessThanOrEqual(254);
      }
    }

    const issue = bodySchema(doc, "post", "/api/v1/businesses/{business_id}/passes");
    expect(schemaAt(doc, issue, "initial_balance").maximum).toBe(10 ** 12);
    expect(schemaAt(doc, issue, "points").maximum).toBe(10 ** 9);
    const pass = doc.components.schemas.Pass!;
    expect(schemaAt(doc, pass, "stamps").maximum).toBe(100_000);
    const amount = doc.paths["/api/v1/businesses/{business_id}/passes/{identifier}/topup"]!.post!.parameters!.find(
      (p) => p.name === "amount",
    )!;
    expect(JSON.stringify(amount)).toContain("1000000000 minor units");
  });

  it("answers a path segment past its documented length with 422 naming it", async () => {
    const { businessId, liveKey } = await proBusiness();
    const res = await request(`/businesses/${businessId}/passes/${"x".repeat(201)}`, { headers: keyAuth(liveKey) });
    expect(res.status).toBe(422);
    const { error } = await res.json<{ error: { fields: Array<{ path: string }> } }>();
    expect(error.fields.map((f) => f.path)).toEqual(["identifier"]);
    expect((await request(`/businesses/${businessId}/passes/${"x".repeat(200)}`, { headers: keyAuth(liveKey) })).status).toBe(404);
  });
});
