import { createMiddleware } from "hono/factory";
import type { RateDecision } from "../durable/credential-guard";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../types";

const IDEMPOTENT_METHODS = new Set(["POST", "PATCH"]);

function rateHeaders(rate: RateDecision): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(rate.limit),
    "X-RateLimit-Remaining": String(rate.remaining),
    "X-RateLimit-Reset": String(rate.resetAt),
  };
}

/**
 * Rate limit and idempotency, decided in one call to the credential's Durable Object: the
 * sliding-window count and the claim on an `Idempotency-Key` happen atomically there.
 */
export const guard = createMiddleware<AppEnv>(async (c, next) => {
  const { principal } = c.var;
  const { config } = c.var;
  const limit = principal.kind === "api_key" ? config.RATE_LIMIT_PER_MINUTE : config.DASHBOARD_RATE_LIMIT_PER_MINUTE;

  const idempotencyKey = IDEMPOTENT_METHODS.has(c.req.method) ? c.req.header("idempotency-key") : undefined;
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1 to 255 characters");
  }
  // Mode is part of the fingerprint: a dashboard user's test and live requests never collide.
  const fingerprint = idempotencyKey
    ? await sha256Hex(`${principal.mode}\n${c.req.method}\n${c.req.path}\n${c.req.raw.url.split("?")[1] ?? ""}\n${await c.req.text()}`)
    : undefined;

  const stub = c.env.CREDENTIAL_GUARD.get(c.env.CREDENTIAL_GUARD.idFromName(principal.credentialId));
  const admission = await stub.admit(limit, idempotencyKey && fingerprint ? { key: idempotencyKey, fingerprint } : undefined);
  const headers = rateHeaders(admission.rate);

  if (!admission.rate.allowed) {
    throw new ApiError("rate_limited", `Rate limit of ${limit} requests per minute exceeded. Retry in ${admission.rate.retryAfter}s.`, {
      headers: { ...headers, "Retry-After": String(admission.rate.retryAfter) },
    });
  }
  for (const [name, value] of Object.entries(headers)) c.header(name, value);

  const decision = admission.idempotency;
  if (decision?.outcome === "in_progress") {
    throw new ApiError("conflict", "A request with this Idempotency-Key is still being processed", { headers });
  }
  if (decision?.outcome === "mismatch") {
    throw new ApiError("validation_error", "This Idempotency-Key was already used with a different request", {
      headers,
      fields: [{ path: "Idempotency-Key", message: "Reused with a different method, path or body" }],
    });
  }
  if (decision?.outcome === "replay") {
    return new Response(decision.response.body, {
      status: decision.response.status,
      headers: { ...headers, "Content-Type": decision.response.contentType, "Idempotent-Replayed": "true" },
    });
  }

  await next();

  if (decision?.outcome !== "proceed" || !idempotencyKey) return;
  if (c.res.status >= 500) {
    await stub.release(idempotencyKey);
    return;
  }
  const response = c.res.clone();
  await stub.complete(idempotencyKey, {
    status: response.status,
    body: await response.text(),
    contentType: response.headers.get("content-type") ?? "application/json",
  });
});
