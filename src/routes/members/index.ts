import { z } from "@hono/zod-openapi";
import { ROLES } from "../../domain/enums";
import { inviteMember, listMembers, removeMember } from "../../domain/members";
import { createRouter } from "../../lib/create-app";
import { BusinessParams, businessRoute, errorResponses, jsonBody, jsonResponse, pathParam } from "../openapi";

const tags = ["Members"];

const MemberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    status: z.enum(["active", "invited"]),
    invite_token: z.string().optional().openapi({ description: "Shown once, when the invitee has no account yet" }),
    created_at: z.string(),
  })
  .openapi("Member");

const InviteBody = z.object({ email: z.email().max(254), role: z.enum(ROLES) }).openapi("InviteMemberRequest");

const MemberParams = BusinessParams.extend({ member_id: pathParam("member_id") });

const invite = businessRoute({
  method: "post",
  path: "/businesses/{business_id}/members",
  tags,
  permission: "members:manage",
  summary: "Invite a member",
  description: "Owners only.",
  request: { params: BusinessParams, body: jsonBody(InviteBody) },
  responses: { 201: jsonResponse(MemberSchema, "Invited"), ...errorResponses(409, 422) },
});

const list = businessRoute({
  method: "get",
  path: "/businesses/{business_id}/members",
  tags,
  permission: "members:manage",
  summary: "List members",
  description: "Members and pending invitations.",
  request: { params: BusinessParams },
  responses: { 200: jsonResponse(z.object({ data: z.array(MemberSchema) }), "Members") },
});

const remove = businessRoute({
  method: "delete",
  path: "/businesses/{business_id}/members/{member_id}",
  tags,
  permission: "members:manage",
  summary: "Remove a member",
  description: "Or cancel an invitation.",
  request: { params: MemberParams },
  responses: { 204: { description: "Removed" }, ...errorResponses(404, 409) },
});

export const memberRoutes = createRouter()
  .openapi(invite, async (c) => c.json(await inviteMember(c.var.data.control, c.var.principal.businessId, c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json({ data: await listMembers(c.var.data.control, c.var.principal.businessId) }, 200))
  .openapi(remove, async (c) => {
    await removeMember(c.var.data.control, c.var.guards, c.var.principal.businessId, c.req.valid("param").member_id);
    return c.body(null, 204);
  });
