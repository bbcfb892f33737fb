import { listDevMail } from "../../db/dev-outbox";
import { createRouter } from "../../lib/create-app";
import { ApiError } from "../../lib/errors";

/**
 * `GET /dev/outbox[?to=email]`: the mail the development transport kept instead of sending,
 * newest first. It exists only when ENVIRONMENT=development; anywhere else it is an unknown route.
 */
export const devOutboxRoutes = createRouter().get("/dev/outbox", async (c) => {
  if (c.var.config.ENVIRONMENT !== "development") throw new ApiError("not_found", `No route matches GET ${c.req.path}`);
  const to = c.req.query("to")?.trim().toLowerCase();
  const rows = await listDevMail(c.var.data.control, { recipient: to || undefined, limit: 50 });
  c.header("Cache-Control", "no-store");
  return c.json({
    data: rows.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, text: r.text, html: r.html, created_at: r.created_at })),
  });
});
