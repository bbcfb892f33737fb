import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPENAPI_PATH } from "../../src/routes/docs";
import { bearer, businessWithTemplates, createKey, issue, json, keyAuth, request, uniqueEmail } from "../support/api";
import {
  type DocumentedOperation,
  inputFor,
  type OpenApiDocument,
  operationsOf,
  type Parameter,
  responseChecker,
  valueFor,
} from "../support/openapi-fuzz";
import { createWebhook, receiver } from "../support/pipeline";

/**
 * Requests per operation: 63 operations × 24 is about 1,500 requests, 10 s on a 2-core machine, and
 * within the dashboard user's 600 requests a minute.
 */
const RUNS_PER_OPERATION = 24;
/** An API key may make 60 requests a minute: the fuzzing spreads its third of the calls over enough keys. */
const API_KEYS = 10;

type Identity = "api_key" | "dashboard" | "anonymous";

interface FuzzRequest {
  identity: Identity;
  path: Record<string, string>;
  query: Record<string, string>;
  body?: { contentType: string; text: string | Uint8Array };
  idempotencyKey?: string;
}

/** A business with one of everything an operation's path can name. */
async function world() {
  const biz = await businessWithTemplates();
  const { session, businessId, liveKey } = biz;
  const keys = [liveKey, ...(await Promise.all(Array.from({ length: API_KEYS - 1 }, () => createKey(session))))];
  const [loyaltyPass, giftPass, ticketPass, webhook, spareKey, member] = await Promise.all([
    issue(businessId, liveKey, { template_id: biz.loyalty.id, external_id: "fuzz-ext-1", customer_email: "fuzz@example.com" }),
    issue(businessId, liveKey, { template_id: biz.giftCard.id, initial_balance: 50 }),
    issue(businessId, liveKey, { template_id: biz.ticket.id }),
    createWebhook(businessId, liveKey, { url: receiver().url }),
    json(
      await request(`/businesses/${businessId}/api-keys`, {
        method: "POST",
        headers: bearer(session),
        json: { name: "Spare", mode: "live" },
      }),
      201,
    ),
    json(
      await request(`/businesses/${businessId}/members`, {
        method: "POST",
        headers: bearer(session),
        json: { email: uniqueEmail("member"), role: "staff" },
      }),
      201,
    ),
  ]);
  // Each path parameter is drawn from real values of the business (so handlers run) and from anything at all.
  const known: Record<string, string[]> = {
    business_id: [businessId, businessId, "biz_someone_else"],
    template_id: [biz.loyalty.id, biz.giftCard.id, biz.ticket.id],
    identifier: [loyaltyPass.id, giftPass.serial_number, ticketPass.id, "fuzz-ext-1"],
    external_id: ["fuzz-ext-1"],
    email: ["fuzz@example.com"],
    webhook_id: [webhook.id],
    delivery_id: ["dlv_missing"],
    key_id: [spareKey.id],
    member_id: [member.id],
    serial_number: [loyaltyPass.serial_number, giftPass.serial_number],
    serialNumber: [loyaltyPass.serial_number],
    token: [loyaltyPass.download_url.split("/").pop()],
    passTypeIdentifier: ["pass.dev.passlite.local"],
    deviceLibraryIdentifier: ["device-1"],
    color: ["336699"],
    file: ["icon.png", "icon@2x.png", "logo.png"],
    slot: ["logo", "icon"],
  };
  const credentials = (identity: Identity, run: number): Record<string, string> => {
    if (identity === "api_key") return keyAuth(keys[run % keys.length]!);
    if (identity === "dashboard") return bearer(session);
    return {};
  };
  return { known, credentials };
}

function pathValue(parameter: Parameter, known: Record<string, string[]>, doc: OpenApiDocument): fc.Arbitrary<string> {
  const real = known[parameter.name] ?? [];
  const anything = fc.oneof(
    parameter.schema ? valueFor(doc, parameter.schema).map(String) : fc.string(),
    fc.string({ minLength: 1, maxLength: 300 }),
  );
  // An empty, "." or ".." segment is another path, not this operation.
  const segment = anything.filter((s) => s !== "" && s !== "." && s !== "..");
  return real.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: segment }) : segment;
}

function requestFor(doc: OpenApiDocument, { operation }: DocumentedOperation, known: Record<string, string[]>): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? [];
  const path = fc.record(
    Object.fromEntries(parameters.filter((p) => p.in === "path").map((p) => [p.name, pathValue(p, known, doc)])),
  ) as fc.Arbitrary<Record<string, string>>;
  const queryParameters = parameters.filter((p) => p.in === "query");
  const query = fc.record(
    Object.fromEntries(
      queryParameters.map((p) => [
        p.name,
        inputFor(doc, p.schema, p.schema?.example).map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
      ]),
    ),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, string>>;
  const body = operation.requestBody ? bodyFor(doc, operation.requestBody.content) : fc.constant(undefined);
  return fc.record({
    identity: fc.constantFrom<Identity>("api_key", "dashboard", "anonymous"),
    path,
    query,
    body,
    idempotencyKey: fc.option(fc.string({ minLength: 0, maxLength: 300 }), { freq: 4, nil: undefined }),
  });
}

function bodyFor(doc: OpenApiDocument, content: Record<string, { schema?: object; example?: unknown }>) {
  const arbitraries = Object.entries(content).map(([mediaType, media]) => {
    if (!mediaType.includes("json")) {
      return fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ contentType: mediaType, text: bytes as string | Uint8Array }));
    }
    const contentType = fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/json; charset=utf-16",
      "text/plain",
    );
    const text = fc.oneof(
      { weight: 6, arbitrary: inputFor(doc, media.schema, media.example).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.constantFrom("{not json", "", "[", '{"a":1}{') },
    );
    return fc.record({ contentType: fc.oneof({ weight: 5, arbitrary: fc.constant("application/json") }, contentType), text });
  });
  return fc.option(fc.oneof(...arbitraries), { freq: 8, nil: undefined });
}

function urlOf({ path }: DocumentedOperation, req: FuzzRequest): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(req.path[name] ?? ""));
  const search = new URLSearchParams(req.query).toString();
  return `https://api.passlite.test${filled}${search ? `?${search}` : ""}`;
}

/** Every problem with one answer: a 5xx, a status the document does not list, or a body its schema refuses. */
async function problemsWith(op: DocumentedOperation, res: Response, check: ReturnType<typeof responseChecker>): Promise<string[]> {
  const status = String(res.status);
  const text = await res.text();
  if (res.status >= 500) return [`${status}: ${text.slice(0, 300)}`];
  const documented = op.operation.responses[status] ?? op.operation.responses.default;
  if (!documented) return [`undocumented status ${status}: ${text.slice(0, 300)}`];
  if (!documented.content || text === "") return [];
  const mediaType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
  const media = documented.content[mediaType];
  if (!media) return [`${status} answered ${mediaType}; documented ${Object.keys(documented.content).join(", ")}`];
  if (!mediaType.includes("json") || !media.schema) return [];
  return check(media.schema, JSON.parse(text)).map((problem) => `${status} body ${problem}: ${text.slice(0, 300)}`);
}

/** Destructive operations last, so the others meet the business as it was set up. */
const destructiveLast = (a: DocumentedOperation, b: DocumentedOperation) => Number(a.method === "DELETE") - Number(b.method === "DELETE");

describe("every operation in the OpenAPI document", () => {
  it("answers valid and invalid input, as an API key, a dashboard user and anonymously, only as documented", async () => {
    const doc = await json<OpenApiDocument>(await request(`https://api.passlite.test${OPENAPI_PATH}`), 200);
    const check = responseChecker(doc);
    const { known, credentials } = await world();
    const operations = operationsOf(doc).sort(destructiveLast);
    expect(operations.length).toBeGreaterThan(50);

    const failures: string[] = [];
    let run = 0;
    for (const op of operations) {
      const outcome = await fc.check(
        fc.asyncProperty(requestFor(doc, op, known), async (req) => {
          const headers = new Headers(credentials(req.identity, run++));
          if (req.body) headers.set("content-type", req.body.contentType);
          if (req.idempotencyKey !== undefined) headers.set("idempotency-key", req.idempotencyKey);
          const res = await request(urlOf(op, req), { method: op.method, headers, body: req.body?.text });
          const problems = await problemsWith(op, res, check);
          if (problems.length > 0) throw new Error(problems.join("\n"));
        }),
        { numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      if (outcome.failed) {
        const cause = outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance);
        const replay = `seed ${outcome.seed}, path ${outcome.counterexamplePath}`;
        failures.push(`${op.method} ${op.path} (${replay}) with ${JSON.stringify(outcome.counterexample?.[0])}\n  ${cause}`);
      }
    }
    expect(failures, failures.join("\n\n")).toEqual([]);
  }, 120_000);
});
