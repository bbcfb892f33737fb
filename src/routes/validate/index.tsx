import { createRoute, z } from "@hono/zod-openapi";
import { html } from "hono/html";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { validateForPage } from "../../domain/scans/validation";
import { createRouter } from "../../lib/create-app";
import { barcodeSecret } from "../../wallet/apple/config";
import { brandColor, organizationName, passDescription } from "../../wallet/content";
import { findPassBySerialAnywhere, loadPassContext } from "../../wallet/context";
import { PassNotFoundPage, ValidatePage } from "../../web/validate-page";

// Its own script by nonce, and fetches to this origin (the staff check-in): nothing else runs or loads.
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: ["'unsafe-inline'"],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: "no-referrer",
});

const validate = createRoute({
  method: "get",
  path: "/validate/{serial_number}",
  tags: ["Pass delivery"],
  summary: "Open a scanned barcode",
  description:
    "What a phone camera opens from a pass's barcode (`{APP_ORIGIN}/validate/{serial}?sig=…`): a page saying whether the pass is valid, with the holder's first name. Read-only; for a signed-in staff member of the business it offers Check in, posted to `POST /api/v1/businesses/{id}/scan` with their access token.",
  middleware: [pageHeaders] as const,
  request: {
    params: z.object({ serial_number: z.string().max(60) }),
    query: z.object({ sig: z.string().max(100).optional().openapi({ description: "The barcode's signature, on signed templates" }) }),
  },
  responses: { 200: { description: "The page" }, 404: { description: "No such pass (a page)" } },
});

export const validateRoutes = createRouter().openapi(validate, async (c) => {
  const { serial_number } = c.req.valid("param");
  // Validity changes with every scan: never from a cache.
  c.header("Cache-Control", "no-store");
  const found = await findPassBySerialAnywhere(c.var.data, serial_number);
  const ctx = found && (await loadPassContext(found.tenant, found.pass));
  if (!found || !ctx) return c.html(html`<!doctype html>${<PassNotFoundPage />}`, 404);

  const { pass, business, design } = ctx;
  const validation = await validateForPage(
    found.tenant,
    pass,
    design.scan_security,
    business.timezone,
    c.req.valid("query").sig ?? null,
    () => barcodeSecret(c.var.config),
  );
  return c.html(
    html`<!doctype html>${(
      <ValidatePage
        businessName={organizationName(ctx)}
        title={passDescription(ctx)}
        {...validation}
        color={brandColor(ctx, "background") ?? "#334155"}
        textColor={brandColor(ctx, "foreground") ?? "#ffffff"}
        staff={{ businessId: business.id, mode: pass.mode, scanPath: `/api/v1/businesses/${business.id}/scan` }}
        nonce={c.get("secureHeadersNonce")}
      />
    )}`,
  );
});
