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
    status: z
      .enum(["active", "invited", "expired"])
      .openapi({ description: "An invitation is `invited` until accepted, `expired` 7 days after it was sent" }),
    expires_at: z.string().optional().openapi({ description: "When an invitation not yet accepted expires" }),
    invite_token: z.string().optional().openapi({
      description:
        "Shown once, in the answer to the invitation, whoever it is for. The invitee redeems it with `POST /auth/accept-invite`: signed in, when the email has an account; with a new password, when not.",
    }),
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
  description:
    "Owners only. Every invitation is pending until the invitee accepts it (`POST /auth/accept-invite`) and expires after 7 days; the answer has the same shape whether or not the email has an account. An expired invitation may be sent again; `DELETE` revokes a pending one.",
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
