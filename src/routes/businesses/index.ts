import { getBusiness, updateBusinessSettings } from "../../domain/businesses";
import { createRouter } from "../../lib/create-app";
import { authenticatedRoute, errorResponses, jsonBody, jsonResponse } from "../openapi";
import { BusinessSchema, UpdateBusinessBody } from "./schemas";

const tags = ["Businesses"];

const getMe = authenticatedRoute({
  method: "get",
  path: "/businesses/me",
  tags,
  summary: "Get the business",
  description: "The business the credentials belong to.",
  responses: { 200: jsonResponse(BusinessSchema, "The business") },
});

const patchMe = authenticatedRoute({
  method: "patch",
  path: "/businesses/me",
  tags,
  permission: "business:manage",
  summary: "Update the business",
  description: "Change the business's name, timezone, currency or brand colours.",
  request: { body: jsonBody(UpdateBusinessBody) },
  responses: { 200: jsonResponse(BusinessSchema, "The updated business"), ...errorResponses(400, 422) },
});

export const businessRoutes = createRouter()
  .openapi(getMe, async (c) => c.json(await getBusiness(c.var.data.control, c.var.principal.businessId), 200))
  .openapi(patchMe, async (c) =>
    c.json(await updateBusinessSettings(c.var.data.controlShard(), c.var.guards, c.var.principal, c.req.valid("json")), 200),
  );
