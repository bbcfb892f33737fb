import type { Context } from "hono";
import type { BuiltPass } from "../../wallet/delivery";

/**
 * A .pkpass with the headers Wallet and browsers need; 304 when the client's copy is current
 * (`If-None-Match` or `If-Modified-Since`).
 */
export function pkpassResponse(c: Context, built: BuiltPass, serial: string): Response {
  const headers = {
    ETag: built.etag,
    "Last-Modified": built.lastModified.toUTCString(),
    // Each request revalidates: a pass is small, and stale balances are worse than a round trip.
    "Cache-Control": "private, no-cache",
  };
  const ifNoneMatch = c.req.header("if-none-match");
  const ifModifiedSince = c.req.header("if-modified-since");
  const notModified = ifNoneMatch
    ? ifNoneMatch.split(",").some((tag) => tag.trim() === built.etag)
    : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= built.lastModified.getTime();
  if (notModified) return new Response(null, { status: 304, headers });
  return new Response(built.bytes, {
    status: 200,
    headers: {
      ...headers,
      "Content-Type": "application/vnd.apple.pkpass",
      "Content-Disposition": `attachment; filename="${serial}.pkpass"`,
    },
  });
}
