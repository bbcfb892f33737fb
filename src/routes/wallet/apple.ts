import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createRouter } from "../../lib/create-app";
import type { AppEnv } from "../../types";
import { appleWallet, assertAppleWebService } from "../../wallet/apple/config";
import {
  authenticatePassRequest,
  changedPassesForDevice,
  recordDeviceLogs,
  registerDevice,
  unregisterDevice,
} from "../../wallet/apple/web-service";
import { loadPassContext } from "../../wallet/context";
import { renderPkpass } from "../../wallet/delivery";
import { errorResponses, jsonBody, jsonResponse, pathParam } from "../openapi";
import { pkpassResponse } from "./pkpass-response";

const tags = ["Apple Wallet web service"];
const base = "/wallet/apple/v1";
const RegistrationParams = z.object({
  deviceLibraryIdentifier: pathParam("deviceLibraryIdentifier"),
  passTypeIdentifier: pathParam("passTypeIdentifier"),
  serialNumber: pathParam("serialNumber"),
});
const ApplePassAuth = z.object({ authorization: z.string().optional().openapi({ description: "ApplePass <authenticationToken>" }) });

const register = createRoute({
  method: "post",
  path: `${base}/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}`,
  tags,
  summary: "Register a device",
  description: "Wallet registers a device for a pass's update pushes (emits `pass.installed`).",
  request: { params: RegistrationParams, headers: ApplePassAuth, body: jsonBody(z.object({ pushToken: z.string().min(1).max(500) })) },
  responses: { 200: { description: "Already registered" }, 201: { description: "Registered" }, ...errorResponses(401, 422) },
});

const unregister = createRoute({
  method: "delete",
  path: `${base}/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}`,
  tags,
  summary: "Unregister a device",
  description: "Wallet removes a pass from a device (emits `pass.uninstalled`).",
  request: { params: RegistrationParams, headers: ApplePassAuth },
  responses: { 200: { description: "Unregistered" }, ...errorResponses(401) },
});

const changed = createRoute({
  method: "get",
  path: `${base}/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}`,
  tags,
  summary: "List updated passes",
  description: "Serial numbers of the device's passes updated since a tag.",
  request: {
    params: RegistrationParams.omit({ serialNumber: true }),
    query: z.object({ passesUpdatedSince: z.string().max(64).optional() }),
  },
  responses: {
    200: jsonResponse(z.object({ serialNumbers: z.array(z.string()), lastUpdated: z.string() }), "Updated passes"),
    204: { description: "No updates" },
  },
});

const latest = createRoute({
  method: "get",
  path: `${base}/passes/{passTypeIdentifier}/{serialNumber}`,
  tags,
  summary: "Get the latest pass",
  description: "The latest signed `.pkpass` (304 when unchanged since `If-Modified-Since`).",
  request: { params: RegistrationParams.omit({ deviceLibraryIdentifier: true }), headers: ApplePassAuth },
  responses: {
    200: { description: "The pass", content: { "application/vnd.apple.pkpass": { schema: { type: "string", format: "binary" } } } },
    304: { description: "Not modified" },
    ...errorResponses(401),
  },
});

const log = createRoute({
  method: "post",
  path: `${base}/log`,
  tags,
  summary: "Log Wallet messages",
  description: "Wallet's diagnostic messages, kept for the dashboard.",
  request: { body: jsonBody(z.object({ logs: z.array(z.string()).max(100) })) },
  responses: { 200: { description: "Recorded" }, ...errorResponses(422) },
});

/** `ApplePass <token>` → the token. */
const applePassToken = (header: string | undefined) => /^ApplePass\s+(\S+)$/.exec(header ?? "")?.[1];

async function passFor(c: Context<AppEnv>, params: { passTypeIdentifier: string; serialNumber: string }) {
  const { identity } = await appleWallet(c.var.config);
  return authenticatePassRequest(c.var.data, {
    expectedPassTypeId: identity.passTypeIdentifier,
    passTypeId: params.passTypeIdentifier,
    serial: params.serialNumber,
    token: applePassToken(c.req.header("authorization")),
  });
}

const router = createRouter();
// Wallet never calls an http web service; with one configured in production, every endpoint is 503.
router.use(`${base}/*`, async (c, next) => {
  assertAppleWebService(c.var.config);
  await next();
});

export const appleWebServiceRoutes = router
  .openapi(register, async (c) => {
    const params = c.req.valid("param");
    const { tenant, pass } = await passFor(c, params);
    const created = await registerDevice(tenant, pass, {
      device: params.deviceLibraryIdentifier,
      passTypeId: params.passTypeIdentifier,
      pushToken: c.req.valid("json").pushToken,
    });
    return c.body(null, created ? 201 : 200);
  })
  .openapi(unregister, async (c) => {
    const params = c.req.valid("param");
    const { tenant, pass } = await passFor(c, params);
    await unregisterDevice(tenant, pass, { device: params.deviceLibraryIdentifier, passTypeId: params.passTypeIdentifier });
    return c.body(null, 200);
  })
  .openapi(changed, async (c) => {
    const { deviceLibraryIdentifier, passTypeIdentifier } = c.req.valid("param");
    const since = c.req.valid("query").passesUpdatedSince;
    const result = await changedPassesForDevice(c.var.data, deviceLibraryIdentifier, passTypeIdentifier, since);
    return result ? c.json(result, 200) : c.body(null, 204);
  })
  .openapi(latest, async (c) => {
    const requestedAt = Date.now();
    const { tenant, pass } = await passFor(c, c.req.valid("param"));
    const ctx = (await loadPassContext(tenant, pass))!;
    return pkpassResponse(c, await renderPkpass(c.var.config, c.env.IMAGES, ctx), pass.serial_number, requestedAt);
  })
  .openapi(log, async (c) => {
    await recordDeviceLogs(c.var.data.control, c.req.valid("json").logs);
    return c.body(null, 200);
  });
