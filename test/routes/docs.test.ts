import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { CustomerPasses, LoggedOut, MagicLinkBody, MagicLinkSent } from "../../src/routes/customers/schemas";
import { OPENAPI_PATH, SCALAR_SCRIPT_PATH } from "../../src/routes/docs";
import { ErrorSchema, PlanLimitSchema } from "../../src/routes/openapi";
import {
  BulkIssueBody,
  BulkIssueResult,
  BulkUpdateBody,
  BulkUpdateItem,
  BulkUpdateResult,
  IssuePassBody,
  PassEventSchema,
  PassSchema,
  UpdatePassBody,
} from "../../src/routes/passes/schemas";
import { ScanBody, ScanRecordSchema, ScanResultSchema } from "../../src/routes/scans/schemas";
import { pageOf } from "../../src/routes/templates/schemas";
import { request } from "../support/api";

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  example?: unknown;
}
interface MediaType {
  schema?: Schema;
  example?: unknown;
}
interface Operation {
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
}

async function openApiDocument(): Promise<Document> {
  const res = await request(`https://api.passlite.test${OPENAPI_PATH}`);
  expect(res.status).toBe(200);
  return res.json<Document>();
}

const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );

const refName = (schema: Schema | undefined) => schema?.$ref?.replace("#/components/schemas/", "");

/** The zod schemas behind the document's examples: each example must pass what the API validates or returns. */
const VALIDATORS: Record<string, z.ZodType> = {
  IssuePassRequest: IssuePassBody,
  UpdatePassRequest: UpdatePassBody,
  BulkIssueRequest: BulkIssueBody,
  BulkUpdateRequest: BulkUpdateBody,
  BulkUpdateItem,
  Pass: PassSchema,
  BulkIssueResult,
  BulkUpdateResult,
  PassPage: pageOf(PassSchema, "PassPage"),
  PassEventPage: pageOf(PassEventSchema, "PassEventPage"),
  ScanRequest: ScanBody,
  ScanResult: ScanResultSchema,
  Scan: ScanRecordSchema,
  ScanPage: pageOf(ScanRecordSchema, "ScanPage"),
  Error: ErrorSchema,
  PlanLimit: PlanLimitSchema,
  MagicLinkRequest: MagicLinkBody,
  MagicLinkSent,
  CustomerPasses,
  CustomerLoggedOut: LoggedOut,
};

describe("the OpenAPI document", () => {
  it("describes every route from the same schemas that validate", async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const routes = operationsOf(doc).map((o) => o.route);
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
      "POST /api/v1/businesses/{business_id}/scan",
      "GET /api/v1/businesses/{business_id}/passes/{identifier}/scans",
      "POST /api/v1/businesses/{business_id}/passes/{identifier}/rotate-barcode",
      "POST /api/v1/wallet/apple/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}",
      "GET /api/v1/wallet/apple/v1/passes/{passTypeIdentifier}/{serialNumber}",
      "POST /api/v1/wallet/google/callback",
      "GET /pass/{serial_number}/{token}",
      "POST /api/v1/public/customer/magic-link",
      "GET /api/v1/public/customer/passes",
      "POST /api/v1/public/customer/logout-everywhere",
      "GET /validate/{serial_number}",
    ]) {
      expect(routes, route).toContain(route);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Error", "PlanLimit", "Pass", "Template", "BulkIssueResult"]),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["AdminToken", "ApiKey", "Bearer"]);
    expect(doc.paths["/api/v1/businesses/{business_id}/passes"]!.post!.security).toEqual([{ ApiKey: [] }, { Bearer: [] }]);
  });

  it("defines every schema it refers to, and every JSON request body has fields to show", async () => {
    const doc = await openApiDocument();
    const refs = new Set([...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!));
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty([ref.replace("#/components/schemas/", "")]);

    for (const { route, op } of operationsOf(doc)) {
      const json = op.requestBody?.content["application/json"]?.schema;
      if (!json) continue;
      const body = refName(json) ? doc.components.schemas[refName(json)!]! : json;
      expect(body.type, route).toBe("object");
      if (refName(json)) expect(Object.keys(body.properties ?? {}), route).not.toEqual([]);
    }
    // Bulk items are validated one by one, but documented as the objects they must be.
    expect(doc.components.schemas.BulkIssueRequest!.properties!.passes!.items).toEqual({ $ref: "#/components/schemas/IssuePassRequest" });
    expect(doc.components.schemas.BulkUpdateRequest!.properties!.passes!.items).toEqual({ $ref: "#/components/schemas/BulkUpdateItem" });
    // In the PassLite API reference's order.
    expect(Object.keys(doc.components.schemas.IssuePassRequest!.properties!)).toEqual([
      "template_id",
      "customer_name",
      "customer_email",
      "external_id",
      "initial_balance",
      "points",
      "barcode_data",
      "nfc_data",
      "metadata",
    ]);
  });

  it("gives every pass operation an example request and answer that the API itself would accept and give", async () => {
    const doc = await openApiDocument();
    const schemas = doc.components.schemas;
    const check = (schema: Schema | undefined, example: unknown, where: string) => {
      const name = refName(schema) ?? refName(schema?.items);
      const validator = name && VALIDATORS[name];
      if (!validator || example === undefined) return;
      for (const value of schema?.items ? (example as unknown[]) : [example]) {
        expect(validator.safeParse(value).error, `${where}: ${JSON.stringify(value)}`).toBeUndefined();
      }
    };
    for (const [name, validator] of Object.entries(VALIDATORS)) {
      if (name.endsWith("Page")) continue; // pages take their examples from the operation
      expect(schemas[name]?.example, name).toBeDefined();
      expect(validator.safeParse(schemas[name]!.example).error, name).toBeUndefined();
    }

    for (const { route, op } of operationsOf(doc)) {
      const passes = op.tags?.some((tag) => tag === "Passes" || tag === "Pass actions");
      const request = op.requestBody?.content["application/json"];
      if (request) {
        check(request.schema, request.example ?? schemas[refName(request.schema) ?? ""]?.example, `${route} request`);
        if (passes) expect(request.example ?? schemas[refName(request.schema)!]?.example, `${route} request`).toBeDefined();
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const media = response.content?.["application/json"];
        if (!media) continue;
        check(media.schema, media.example, `${route} ${status}`);
        if (status.startsWith("4")) expect(media.example, `${route} ${status}`).toBeDefined();
        if (passes && status.startsWith("2")) {
          expect(media.example ?? schemas[refName(media.schema) ?? ""]?.example, `${route} ${status}`).toBeDefined();
        }
      }
    }
    // The reference's own examples.
    const issue = doc.paths["/api/v1/businesses/{business_id}/passes"]!.post!;
    expect(schemas.IssuePassRequest!.example).toEqual({
      template_id: "tpl_loyalty_gold",
      customer_name: "Jane Doe",
      customer_email: "jane@example.com",
      external_id: "cust_9821",
    });
    expect(issue.responses["201"]!.content!["application/json"]!.example).toMatchObject({ id: "pass_abc123", serial_number: "PL-00042" });
    expect(issue.responses["402"]!.content!["application/json"]!.example).toMatchObject({ error: "pro_feature", plan: "free" });
  });
});

describe("the API reference at /docs", () => {
  it("is Scalar, loaded from this Worker under a nonce-based CSP, reading our document", async () => {
    const res = await request("https://api.passlite.test/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();

    const csp = Object.fromEntries(
      (res.headers.get("content-security-policy") ?? "").split(";").map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(csp["default-src"]).toEqual(["'none'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
    expect(csp["script-src"]).toHaveLength(1);
    const nonce = /^'nonce-(.+)'$/.exec(csp["script-src"]![0]!)?.[1];
    expect(nonce).toBeTruthy();

    // Every script runs by that nonce, and the only one fetched is the Worker's copy of Scalar.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
    expect(scripts.flatMap((attributes) => /src="([^"]+)"/.exec(attributes)?.[1] ?? [])).toEqual([SCALAR_SCRIPT_PATH]);
    expect(html).not.toMatch(/https?:\/\//);

    const config = JSON.parse(/Scalar\.createApiReference\('#app', (\{[\s\S]*?\n\s*\})\)/.exec(html)?.[1] ?? "null");
    expect(config).toMatchObject({ url: OPENAPI_PATH, withDefaultFonts: false, telemetry: false });

    // A fresh nonce per response.
    const again = await request("https://api.passlite.test/docs");
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);
  });
});
