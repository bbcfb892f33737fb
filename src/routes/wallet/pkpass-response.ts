import type { Context } from "hono";
import type { BuiltPass } from "../../wallet/delivery";

/** Clocks of the Workers that write a pass and serve it may disagree by this much. */
const CLOCK_SKEW_MS = 1000;

/**
 * `Last-Modified` for content written at `modifiedAt`, served at `now`. HTTP dates have whole
 * seconds, so while another version could still be written in the same second the value is that
 * second's start — before the write, so `If-Modified-Since` with it never matches. Once that second
 * (and the clock skew) is over, no other version can share it: the value is the second's end, the
 * first date after the write, and a copy that sends it back is the current one. So the dates that
 * can answer 304 are strictly increasing per version, and never in the future.
 */
function lastModifiedFor(modifiedAt: number, now: number): Date {
  const secondEnd = Math.floor(modifiedAt / 1000) * 1000 + 1000;
  return new Date(now >= secondEnd + CLOCK_SKEW_MS ? secondEnd : secondEnd - 1000);
}

/**
 * A .pkpass with the headers Wallet and browsers need; 304 only when the client's copy is this
 * version (`If-None-Match`, or an `If-Modified-Since` after the content's last write).
 * `requestedAt` is a time before the pass was read, so the pass was current then.
 */
export function pkpassResponse(c: Context, built: BuiltPass, serial: string, requestedAt: number): Response {
  const headers = {
    ETag: built.etag,
    "Last-Modified": lastModifiedFor(built.modifiedAt, requestedAt).toUTCString(),
    // Each request revalidates: a pass is small, and stale balances are worse than a round trip.
    "Cache-Control": "private, no-cache",
  };
  const ifNoneMatch = c.req.header("if-none-match");
  const ifModifiedSince = c.req.header("if-modified-since");
  const notModified = ifNoneMatch
    ? ifNoneMatch.split(",").some((tag) => tag.trim() === built.etag)
    : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) > built.modifiedAt;
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
