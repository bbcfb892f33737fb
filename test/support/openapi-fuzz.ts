import { type Schema, Validator } from "@cfworker/json-schema";
import fc from "fast-check";

/** The parts of an OpenAPI 3.1 document the fuzz test reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
}
export interface MediaType {
  schema?: JsonSchema;
  example?: unknown;
}
export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: JsonSchema;
}
export interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface DocumentedOperation {
  method: string;
  path: string;
  operation: Operation;
}

export function operationsOf(doc: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  while (current.$ref) current = doc.components.schemas[current.$ref.replace("#/components/schemas/", "")] ?? {};
  return current;
}

const FORMAT_VALUES: Record<string, fc.Arbitrary<string>> = {
  email: fc.emailAddress(),
  "date-time": fc.date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  uri: fc.webUrl(),
};

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format && FORMAT_VALUES[schema.format]) return FORMAT_VALUES[schema.format]!;
  const { minLength = 0, maxLength = Math.max(minLength, 40) } = schema;
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return fc.stringMatching(pattern).filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000);
  if (integer) return fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 52))), max: Math.floor(Math.min(max, 2 ** 52)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema accepts (as far as a JSON Schema states the rules): the "valid" half of the fuzzing. */
export function valueFor(doc: OpenApiDocument, raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => valueFor(doc, choice, depth + 1)));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ["object"];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case "string":
          return stringArbitrary(schema);
        case "integer":
          return numberArbitrary(schema, true);
        case "number":
          return numberArbitrary(schema, false);
        case "boolean":
          return fc.boolean();
        case "null":
          return fc.constant(null);
        case "array":
          if (depth > 4) return fc.constant([]);
          return fc.array(schema.items ? valueFor(doc, schema.items, depth + 1) : fc.jsonValue(), {
            minLength: schema.minItems ?? 0,
            maxLength: Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + 3),
          });
        default: {
          if (depth > 4 || !schema.properties) return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string(), { maxKeys: 3 });
          const entries = Object.fromEntries(
            Object.entries(schema.properties).map(([key, value]) => [key, valueFor(doc, value, depth + 1)]),
          );
          return fc.record(entries, { requiredKeys: (schema.required ?? []).filter((key) => key in entries) });
        }
      }
    }),
  );
}

/** Anything a careless or hostile client might send where `schema` is expected. */
export function inputFor(doc: OpenApiDocument, schema: JsonSchema | undefined, example: unknown): fc.Arbitrary<unknown> {
  const valid = schema ? [valueFor(doc, schema)] : [];
  const documented = example === undefined ? [] : [fc.constant(example)];
  return fc.oneof(
    { weight: 3, arbitrary: fc.oneof(...documented, ...valid, fc.jsonValue()) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "\u0000zzz", "../../etc", "%00", "a".repeat(300), -1, 1e308, "9007199254740993") },
  );
}

/**
 * A copy without `example`s: they are data, not schemas, but the validator indexes every object it
 * meets, and an example's `id` reads to it as a schema id.
 */
function withoutExamples(value: unknown, inPropertyMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutExamples(item));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([key]) => inPropertyMap || (key !== "example" && key !== "examples"));
  return Object.fromEntries(entries.map(([key, item]) => [key, withoutExamples(item, !inPropertyMap && key === "properties")]));
}

/** A validator per documented response schema; `$ref`s resolve within the document's components. */
export function responseChecker(doc: OpenApiDocument) {
  const validators = new Map<JsonSchema, Validator>();
  return (schema: JsonSchema, body: unknown): string[] => {
    let validator = validators.get(schema);
    if (!validator) {
      const root = withoutExamples({ ...schema, components: doc.components }) as Schema;
      validator = new Validator(root, "2020-12", false);
      validators.set(schema, validator);
    }
    const result = validator.validate(body);
    if (result.valid) return [];
    // The deepest problems say what is wrong; the enclosing ones only that something inside is.
    const deepest = [...result.errors].sort((a, b) => b.instanceLocation.length - a.instanceLocation.length).slice(0, 3);
    return deepest.map((e) => `${e.instanceLocation}: ${e.error}`);
  };
}
