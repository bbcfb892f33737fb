import type { Context } from "hono";

/**
 * The client's address as Cloudflare saw it (`CF-Connecting-IP`, which clients cannot set on
 * Cloudflare). Undefined only off Cloudflare (local requests without the header).
 */
export const clientIp = (c: Context) => c.req.header("cf-connecting-ip");
