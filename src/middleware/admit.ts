import { createMiddleware } from "hono/factory";
import { presentedCredential, principalFor, refusedCredential } from "../domain/auth/principal";
import { tokenConfig } from "../domain/auth/tokens";
import { assertFeature } from "../domain/plans";
import type { RateDecision, Settlement } from "../durable/credential-guard";
import { sha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../types";

const IDEMPOTENT_METHODS = new Set(["POST", "PATCH"]);
const READ_METHODS = new Set(["GET", "HEAD"]);

/** `Authorization: Bearer <token>` → the token. */
const bearerToken = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];

function rateHeaders(rate: RateDecision): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(rate.limit),
    "X-RateLimit-Remaining": String(rate.remaining),
    "X-RateLimit-Reset": String(rate.resetAt),
  };
}

/**
 * Authentication, rate limit and idempotency in one call to the credential's guard object, which
 * holds the grant (business, shard, plan, scopes or role) and decides the rest atomically. Sets
 * `c.var.principal` and opens the business's shard as `c.var.tenant`.
 */
export const admitCaller = createMiddleware<AppEnv>(async (c, next) => {
  const { config, data } = c.var;
  const presented = await presentedCredential(tokenConfig(config), {
    apiKey: c.req.header("x-api-key"),
    bearerToken: bearerToken(c.req.header("authorization")),
    requestedMode: c.req.header("x-passlite-mode"),
  });
  const limit = presented.credential.kind === "api_key" ? config.RATE_LIMIT_PER_MINUTE : config.DASHBOARD_RATE_LIMIT_PER_MINUTE;

  const idempotencyKey = IDEMPOTENT_METHODS.has(c.req.method) ? c.req.header("idempotency-key") : undefined;
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1 to 255 characters");
  }
  // Mode is part of the fingerprint: a dashboard user's test and live requests never collide.
  const fingerprint = idempotencyKey
    ? await sha256Hex(`${presented.mode}\n${c.req.method}\n${c.req.path}\n${c.req.raw.url.split("?")[1] ?? ""}\n${await c.req.text()}`)
    : undefined;

  const guard = c.var.guards.of(presented.credential);
  const admission = await guard.admit({
    credential: presented.credential,
    limit,
    idempotency: idempotencyKey && fingerprint ? { key: idempotencyKey, fingerprint } : undefined,
  });
  if (admission.refused === "invalid_credential") throw refusedCredential(presented.credential);
  if (admission.refused === "no_api_access") assertFeature(admission.plan, "api_access");
  if (admission.refused) throw new Error(`Unexpected refusal ${admission.refused}`);

  const headers = rateHeaders(admission.rate);
  if (!admission.rate.allowed) {
    throw new ApiError("rate_limited", `Rate limit of ${limit} requests per minute exceeded. Retry in ${admission.rate.retryAfter}s.`, {
      headers: { ...headers, "Retry-After": String(admission.rate.retryAfter) },
    });
  }
  const principal = principalFor(presented, admission.grant);
  c.set("principal", principal);
  c.set("tenant", data.tenant(principal.shard));
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

  const reading = READ_METHODS.has(c.req.method);
  // Reads may come from a nearby replica that has caught up with this credential's own writes.
  if (reading) data.allowReplicaReads(admission.bookmarks);
  await next();
  if (reading && decision?.outcome !== "proceed") return;

  const settlement: Settlement = { bookmarks: data.bookmarks() };
  if (decision?.outcome === "proceed" && idempotencyKey) {
    const response = c.res.status >= 500 ? undefined : c.res.clone();
    settlement.idempotency = {
      key: idempotencyKey,
      response: response && {
        status: response.status,
        body: await response.text(),
        contentType: response.headers.get("content-type") ?? "application/json",
      },
    };
  }
  await guard.settle(settlement);
});
