import { z } from "@hono/zod-openapi";
import { PLAN_NAMES } from "../../domain/enums";

const email = z.email().max(254).openapi({ example: "owner@demo-cafe.test" });
const password = z.string().min(8, "Password must be at least 8 characters").max(256).openapi({ example: "correct horse battery" });

export const SignupBody = z
  .object({ email, password, business_name: z.string().trim().min(1).max(120).openapi({ example: "Demo Cafe" }) })
  .openapi("SignupRequest");

export const LoginBody = z
  .object({
    email,
    password: z.string().min(1).max(256),
    business_id: z
      .string()
      .optional()
      .openapi({ description: "Which of the user's businesses to sign in to; defaults to the first joined" }),
  })
  .openapi("LoginRequest");

export const RefreshBody = z.object({ refresh_token: z.string().min(1).max(200) }).openapi("RefreshRequest");

export const AcceptInviteBody = z
  .object({
    token: z.string().min(1).max(200),
    password: password
      .optional()
      .openapi({ description: "Required when the invited email has no account yet: it becomes the account's password" }),
  })
  .openapi("AcceptInviteRequest");

export const SessionSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().openapi({ example: 900 }),
    user: z.object({ id: z.string(), email: z.string() }),
    business: z.object({ id: z.string(), name: z.string(), plan: z.enum(PLAN_NAMES) }),
  })
  .openapi("Session");
