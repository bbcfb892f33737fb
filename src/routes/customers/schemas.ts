import { z } from "@hono/zod-openapi";
import { PASS_STATUSES, TEMPLATE_TYPES } from "../../domain/enums";

export const MagicLinkBody = z
  .object({ email: z.email().max(254).openapi({ example: "customer@example.com" }) })
  .strict()
  .openapi("MagicLinkRequest", { example: { email: "customer@example.com" } });

export const MagicLinkSent = z.object({ sent: z.literal(true) }).openapi("MagicLinkSent", { example: { sent: true } });

export const CustomerTokenQuery = z.object({
  token: z
    .string()
    .max(2000)
    .optional()
    .openapi({ description: "The token from the sign-in link; or send it as `Authorization: Bearer <token>`" }),
});

const CustomerPass = z
  .object({
    id: z.string(),
    serial_number: z.string(),
    business_id: z.string(),
    business_name: z.string(),
    template_name: z.string(),
    title: z.string().openapi({ description: "What the pass itself is called (the template's description, else its name)" }),
    type: z.enum(TEMPLATE_TYPES),
    status: z.enum(PASS_STATUSES),
    stamps: z.number().int(),
    stamp_goal: z.number().int().nullable(),
    points: z.number().int(),
    balance: z.number().nullable().openapi({ description: "In major units, as in the rest of the API" }),
    balance_formatted: z.string().nullable().openapi({ description: "As people read it in the currency", example: "£70.00" }),
    currency: z.string().nullable(),
    expires_at: z.string().nullable(),
    colors: z.object({ background: z.string().nullable(), foreground: z.string().nullable() }),
    download_url: z
      .string()
      .openapi({ description: "The pass link: the .pkpass on Apple devices, Google Wallet on Android, a page elsewhere" }),
    apple_wallet_url: z.string().openapi({ description: "The signed .pkpass" }),
    google_wallet_url: z
      .string()
      .nullable()
      .openapi({ description: "The Google Wallet save link (null when Google Wallet is not configured)" }),
  })
  .openapi("CustomerPass");

const EXAMPLE = {
  email: "customer@example.com",
  expires_at: "2026-11-25T10:15:00.000Z",
  passes: [
    {
      id: "pass_06h1460753etx8qzseczcxd4vc",
      serial_number: "PL-7K2QD-H4KP9-3MZ8T",
      business_id: "biz_01jd5x3m7k0000000000000000",
      business_name: "Demo Cafe",
      template_name: "Gift card",
      title: "Gift card",
      type: "gift_card",
      status: "active",
      stamps: 0,
      stamp_goal: null,
      points: 0,
      balance: 70,
      balance_formatted: "£70.00",
      currency: "GBP",
      expires_at: null,
      colors: { background: "#1f2937", foreground: "#ffffff" },
      download_url: "https://api.passlite.io/pass/PL-7K2QD-H4KP9-3MZ8T/6k8x…",
      apple_wallet_url: "https://api.passlite.io/pass/PL-7K2QD-H4KP9-3MZ8T/6k8x…?format=pkpass",
      google_wallet_url: null,
    },
  ],
};

export const CustomerPasses = z
  .object({
    email: z.string(),
    expires_at: z.string().openapi({ description: "When the sign-in token stops working" }),
    passes: z.array(CustomerPass),
  })
  .openapi("CustomerPasses", { example: EXAMPLE });

export const LoggedOut = z.object({ logged_out: z.literal(true) }).openapi("CustomerLoggedOut", { example: { logged_out: true } });
