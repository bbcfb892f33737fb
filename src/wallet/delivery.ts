import type { Config } from "../config";
import { applePassFiles } from "./apple/build";
import { appleWallet } from "./apple/config";
import { buildPkpass } from "./apple/pkpass";
import type { PassContext } from "./content";

export interface BuiltPass {
  bytes: Uint8Array;
  etag: string;
  lastModified: Date;
}

/** What the pass looks like is decided by these; any change gives a new ETag and a new cache entry. */
export function passETag(ctx: PassContext): string {
  return `"${ctx.pass.id}-${ctx.pass.version}-${Date.parse(ctx.template.updatedAt)}-${Date.parse(ctx.business.updatedAt)}"`;
}

/** Newest of pass, template and business: what `Last-Modified` and `If-Modified-Since` compare. */
export function passLastModified(ctx: PassContext): Date {
  const newest = Math.max(Date.parse(ctx.pass.updated_at), Date.parse(ctx.template.updatedAt), Date.parse(ctx.business.updatedAt));
  return new Date(Math.floor(newest / 1000) * 1000);
}

/**
 * The signed .pkpass for the pass as it is now. Built once per version and kept in the
 * colo's cache, so repeated downloads and Wallet's refreshes do not re-sign.
 */
export async function renderPkpass(config: Config, images: R2Bucket, ctx: PassContext): Promise<BuiltPass> {
  const cacheKey = new Request(`https://pkpass.cache.passlite.internal/${encodeURIComponent(passETag(ctx))}`);
  const cache = await caches.open("pkpass");
  const hit = await cache.match(cacheKey);
  const meta = { etag: passETag(ctx), lastModified: passLastModified(ctx) };
  if (hit) return { bytes: new Uint8Array(await hit.arrayBuffer()), ...meta };

  const wallet = await appleWallet(config);
  const bytes = await buildPkpass(await applePassFiles(ctx, wallet.identity, images), wallet.signer, { signingTime: new Date() });
  await cache.put(cacheKey, new Response(bytes, { headers: { "Cache-Control": "max-age=86400" } }));
  return { bytes, ...meta };
}
