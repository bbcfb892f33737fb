import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { RouterRoute } from "hono/types";
import { ConfigError } from "../config";
import { unsupportedMediaType } from "../middleware/request-rules";
import { ApiError, PlanLimitError } from "./errors";

function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      return new ApiError("bad_request", error.message || "Malformed request");
    case 401:
      return new ApiError("unauthorized", error.message || "Authentication required");
    case 413:
      return new ApiError("payload_too_large", error.message || "Request body is too large");
    case 415:
      return unsupportedMediaType();
    default:
      return new ApiError(error.status >= 500 ? "internal_error" : "bad_request", error.message || "Request failed");
  }
}

/** The one place an error becomes a response. Nothing internal (stack, SQL) leaks. */
export function renderError(error: Error, c: Context): Response {
  if (error instanceof PlanLimitError) return c.json(error.toBody(), 402);

  let apiError: ApiError;
  if (error instanceof ApiError) apiError = error;
  else if (error instanceof HTTPException) apiError = fromHttpException(error);
  else if (error instanceof ConfigError) {
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), message: error.message }));
    // The operator must see which variable to fix; no secret value is ever part of the message.
    apiError = new ApiError("service_unavailable", error.message);
  } else {
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), message: error.message, stack: error.stack }));
    apiError = new ApiError("internal_error", "An unexpected error occurred. Please try again.");
  }
  for (const [name, value] of Object.entries(apiError.headers ?? {})) c.header(name, value);
  return c.json(apiError.toBody(), apiError.status);
}

function routePattern(path: string): RegExp {
  const source = path
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\/\*$/, "(?:/.*)?")
    .replace(/:[A-Za-z_][A-Za-z0-9_]*(\{[^}]*\})?/g, "[^/]+");
  // Exact, as the router matches: a trailing slash names no route, so it is 404, not 405.
  return new RegExp(`^${source}$`);
}

/** Hono answers an unmatched method with 404; the API says 405 when the path exists. */
export function methodNotAllowedOrNotFound(c: Context, routes: RouterRoute[]): Response {
  const path = c.req.path;
  const allowed = new Set<string>();
  for (const route of routes) {
    if (route.method === "ALL" || !routePattern(route.path).test(path)) continue;
    allowed.add(route.method);
  }
  if (allowed.size > 0) {
    c.header("Allow", [...allowed].sort().join(", "));
    return renderError(new ApiError("method_not_allowed", `Method ${c.req.method} is not allowed on ${path}`), c);
  }
  return renderError(new ApiError("not_found", `No route matches ${c.req.method} ${path}`), c);
}
