import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { apiKeyGuessesFrom } from "../domain/auth/guesses";
import { type Presented, presentedCredential, principalFor, refusedCredential } from "../domain/auth/principal";
import { type AccessClaims, tokenConfig } from "../domain/auth/tokens";
import { assertFeature } from "../domain/plans";
import type { CredentialGuard, RateDecision, Settlement } from "../durable/credential-guard";
import { clientIp } from "../lib/client-ip";
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

/** A refused API key counts as a guess from the client's IP: past its free guesses, the answer is 429. */
async function refuseKeyGuess(c: Context<AppEnv>, wasApiKey: boolean, error: unknown): Promise<never> {
  if (wasApiKey) await c.var.guesses.begin(apiKeyGuessesFrom(clientIp(c)));
  throw error;
}

/** Asks the credential's guard; throws what it refuses (unknown or revoked credential, plan without API access, rate limit). */
async function admitted(
  c: Context<AppEnv>,
  guard: DurableObjectStub<CredentialGuard>,
  presented: Presented,
  idempotency?: { key: string; fingerprint: string },
) {
  const { config } = c.var;
  const limit = presented.credential.kind === "api_key" ? config.RATE_LIMIT_PER_MINUTE : config.DASHBOARD_RATE_LIMIT_PER_MINUTE;
  const admission = await guard.admit({ credential: presented.credential, limit, idempotency });
  if (admission.refused === "invalid_credential") {
    return refuseKeyGuess(c, presented.credential.kind === "api_key", refusedCredential(presented.credential));
  }
  if (admission.refused === "no_api_access") assertFeature(admission.plan, "api_access");
  if (admission.refused) throw new Error(`Unexpected refusal ${admission.refused}`);

  const headers = rateHeaders(admission.rate);
  if (!admission.rate.allowed) {
    throw new ApiError("rate_limited", `Rate limit of ${limit} requests per minute exceeded. Retry in ${admission.rate.retryAfter}s.`, {
      headers: { ...headers, "Retry-After": String(admission.rate.retryAfter) },
    });
  }
  return { admission, headers };
}

/**
 * The dashboard user signed in on this request, if it sends a Bearer token: checked by the
 * user's guard like any request (so a logged-out session is refused), for routes that work with
 * or without one.
 */
export async function signedInUser(c: Context<AppEnv>): Promise<AccessClaims | undefined> {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) return undefined;
  const presented = await presentedCredential(tokenConfig(c.var.config), { bearerToken: token });
  if (presented.credential.kind !== "user") return undefined;
  await admitted(c, c.var.guards.of(presented.credential), presented);
  return presented.credential;
}

/**
 * Authentication, rate limit and idempotency in one call to the credential's guard object, which
 * holds the grant (business, shard, plan, scopes or role) and decides the rest atomically. Sets
 * `c.var.principal` and opens the business's shard as `c.var.tenant`.
 */
export const admitCaller = createMiddleware<AppEnv>(async (c, next) => {
  const { config, data } = c.var;
  const apiKey = c.req.header("x-api-key");
  const presented = await presentedCredential(tokenConfig(config), {
    apiKey,
    bearerToken: bearerToken(c.req.header("authorization")),
    requestedMode: c.req.header("x-passlite-mode"),
  }).catch((error: unknown) => refuseKeyGuess(c, apiKey !== undefined, error));

  const idempotencyKey = IDEMPOTENT_METHODS.has(c.req.method) ? c.req.header("idempotency-key") : undefined;
  if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1 to 255 characters");
  }
  // Mode is part of the fingerprint: a dashboard user's test and live requests never collide.
  const fingerprint = idempotencyKey
    ? await sha256Hex(`${presented.mode}\n${c.req.method}\n${c.req.path}\n${c.req.raw.url.split("?")[1] ?? ""}\n${await c.req.text()}`)
    : undefined;

  const guard = c.var.guards.of(presented.credential);
  const { admission, headers } = await admitted(
    c,
    guard,
    presented,
    idempotencyKey && fingerprint ? { key: idempotencyKey, fingerprint } : undefined,
  );
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
