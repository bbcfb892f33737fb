import { createRoute, z } from "@hono/zod-openapi";
import { html } from "hono/html";
import { createRouter } from "../../lib/create-app";
import { timingSafeEqual } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import {
  brandColor,
  displayValue,
  organizationName,
  type PassContext,
  passDescription,
  passStatus,
  resolveFields,
} from "../../wallet/content";
import { findPassBySerialAnywhere, loadPassContext } from "../../wallet/context";
import { renderPkpass } from "../../wallet/delivery";
import { googleSaveUrl } from "../../wallet/google/links";
import { PassPage } from "../../web/pass-page";
import { errorResponses } from "../openapi";
import { pkpassResponse } from "./pkpass-response";

const download = createRoute({
  method: "get",
  path: "/pass/{serial_number}/{token}",
  tags: ["Pass delivery"],
  summary: "Open a pass link",
  description:
    "A pass's download link: the signed `.pkpass` on Apple devices, a redirect to the Google Wallet save link on Android (when Google Wallet is configured), and a page with both buttons elsewhere.",
  request: {
    params: z.object({ serial_number: z.string().max(40), token: z.string().max(100) }),
    query: z.object({ format: z.enum(["pkpass", "page"]).optional().openapi({ description: "Force the .pkpass or the page" }) }),
  },
  responses: {
    200: { description: "The .pkpass, or the page" },
    302: { description: "Redirect to Google Wallet (Android)" },
    304: { description: "Not modified" },
    ...errorResponses(404),
  },
});

type Device = "apple" | "android" | "other";

function deviceOf(userAgent: string): Device {
  if (/iPhone|iPad|iPod/.test(userAgent)) return "apple";
  if (/Android/.test(userAgent)) return "android";
  // Safari on a Mac adds passes to Wallet too; Chrome and Firefox on a Mac do not.
  if (/Macintosh/.test(userAgent) && /Safari\//.test(userAgent) && !/Chrome|Chromium|CriOS|Firefox|FxiOS|Edg\//.test(userAgent))
    return "apple";
  return "other";
}

function summaryOf(ctx: PassContext) {
  const fields = resolveFields(ctx);
  return (
    [...fields.primary, ...fields.secondary]
      // The holder's name is already the card's subtitle.
      .filter((f) => f.value !== "" && f.label && f.value !== ctx.pass.customer_name)
      .slice(0, 3)
      .map((f) => ({ label: f.label!, value: displayValue(f, ctx.business.timezone) }))
  );
}

export const downloadRoutes = createRouter().openapi(download, async (c) => {
  const requestedAt = Date.now();
  const { serial_number, token } = c.req.valid("param");
  const found = await findPassBySerialAnywhere(c.var.data, serial_number);
  // Unknown serial and wrong token look the same: the link is the secret.
  if (!found || !timingSafeEqual(token, found.pass.download_token)) throw new ApiError("not_found", "Pass not found");
  const { pass } = found;
  const ctx = (await loadPassContext(found.tenant, pass))!;

  const { format } = c.req.valid("query");
  const device = format === "pkpass" ? "apple" : format === "page" ? "other" : deviceOf(c.req.header("user-agent") ?? "");
  if (device === "apple") {
    return pkpassResponse(c, await renderPkpass(c.var.config, c.env.IMAGES, ctx), pass.serial_number, requestedAt);
  }

  const googleUrl = await googleSaveUrl(c.var.config, ctx);
  if (device === "android" && googleUrl) return c.redirect(googleUrl, 302);

  const pageUrl = new URL(c.req.url);
  pageUrl.search = "";
  c.header("Cache-Control", "private, no-cache");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  );
  return c.html(
    html`<!doctype html>${(
      <PassPage
        businessName={organizationName(ctx)}
        title={passDescription(ctx)}
        customerName={pass.customer_name}
        status={passStatus(ctx)}
        summary={summaryOf(ctx)}
        color={brandColor(ctx, "background") ?? "#334155"}
        textColor={brandColor(ctx, "foreground") ?? "#ffffff"}
        appleUrl={`${pageUrl.pathname}?format=pkpass`}
        googleUrl={googleUrl}
        pageUrl={pageUrl.toString()}
      />
    )}`,
  );
});
