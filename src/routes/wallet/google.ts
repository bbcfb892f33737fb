import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../../lib/create-app";
import { ApiError } from "../../lib/errors";
import { GoogleCallbackError, verifyGoogleCallback } from "../../wallet/google/callback";
import { recordGoogleCallback } from "../../wallet/google/callback-events";
import { errorResponses } from "../openapi";

const callback = createRoute({
  method: "post",
  path: "/wallet/google/callback",
  tags: ["Google Wallet"],
  summary: "Receive a Google Wallet callback",
  description:
    "Google Wallet's save and delete callbacks (signed with ECv2SigningOnly); they become `pass.installed` and `pass.uninstalled` events.",
  request: { body: { required: true, content: { "application/json": { schema: { type: "object" } } } } },
  responses: {
    200: { description: "Accepted (duplicates by nonce are accepted and ignored)" },
    ...errorResponses(401, 404),
    503: { description: "Google's signing keys could not be fetched; Google retries" },
  },
});

export const googleCallbackRoutes = createRouter().openapi(callback, async (c) => {
  const { GOOGLE_ISSUER_ID: issuerId, GOOGLE_CALLBACK_ROOT_KEYS_URL: rootKeysUrl } = c.var.config;
  if (!issuerId) throw new ApiError("not_found", "Google Wallet is not configured");
  let verified: Awaited<ReturnType<typeof verifyGoogleCallback>>;
  try {
    verified = await verifyGoogleCallback(await c.req.text(), { issuerId, rootKeysUrl });
  } catch (error) {
    if (!(error instanceof GoogleCallbackError)) throw error;
    if (error.code === "root_keys_unavailable")
      throw new ApiError("service_unavailable", "Google's signing keys are unavailable; retry later");
    throw new ApiError("unauthorized", `Invalid Google Wallet callback signature (${error.code})`);
  }
  await recordGoogleCallback(c.var.data, issuerId, verified);
  return c.body(null, 200);
});
