import type { Hook } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import { loadConfig } from "../config";
import { DataContext } from "../db/data-context";
import { Guards } from "../durable/guards";
import { Throttles } from "../durable/throttles";
import { limitBodySize, refuseControlCharactersInQuery, requireUtf8Json } from "../middleware/request-rules";
import { flushOutbox } from "../queue/outbox";
import type { AppEnv } from "../types";
import { ApiError, type FieldError } from "./errors";
import { newId } from "./ids";
import { methodNotAllowedOrNotFound, renderError } from "./render-error";

const TARGET_NAMES: Record<string, string> = {
  json: "Request body",
  query: "Query parameters",
  param: "Path parameters",
  header: "Headers",
  form: "Form body",
};

/** zod failures become 422 `validation_error` listing every offending field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const fields: FieldError[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || result.target,
    message: issue.message,
  }));
  const where = TARGET_NAMES[result.target] ?? "Request";
  throw new ApiError("validation_error", `${where} failed validation`, { fields });
};

/** Every resource router is built here so all share the same validation behaviour. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/**
 * The application shell: request ids, configuration, the control database, where the time went
 * (`Server-Timing: app;dur=…, db;dur=…`), and the one error renderer.
 */
export function createApp() {
  const app = createRouter();
  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header("x-request-id")?.slice(0, 100) || newId("log").replace("log_", "req_");
    c.set("requestId", requestId);
    const data = new DataContext(c.env);
    c.set("config", loadConfig(c.env));
    c.set("data", data);
    c.set("guards", new Guards(c.env.CREDENTIAL_GUARD));
    c.set("guesses", new Throttles(c.env.THROTTLE));
    await next();
    // What the request committed goes to the pipeline; a failed send is swept up by the cron.
    const committed = c.var.data.outbox;
    if (!committed.empty)
      c.executionCtx.waitUntil(flushOutbox(c.env.EVENTS_QUEUE, committed).catch((error: unknown) => logEnqueueFailure(requestId, error)));
    c.res.headers.set("X-Request-Id", requestId);
    c.res.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}, db;dur=${data.meter.durationMs.toFixed(1)}`);
  });
  // Request shapes no route accepts are refused before any route (or authentication) reads them.
  app.use(limitBodySize, requireUtf8Json, refuseControlCharactersInQuery);
  app.onError(renderError);
  app.notFound((c) => methodNotAllowedOrNotFound(c, app.routes));
  return app;
}

function logEnqueueFailure(requestId: string, error: unknown): void {
  console.error(
    JSON.stringify({ level: "error", requestId, message: "events not queued; the cron sweep will queue them", error: String(error) }),
  );
}
