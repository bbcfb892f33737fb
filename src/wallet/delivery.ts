import type { Config } from "../config";
import { sha256Hex } from "../lib/crypto";
import { type AppleIdentity, applePassFiles } from "./apple/build";
import { appleWallet } from "./apple/config";
import { buildPkpass } from "./apple/pkpass";
import type { PassContext } from "./content";

export interface BuiltPass {
  bytes: Uint8Array;
  etag: string;
  /** When this content was last written (pass, template or business), to the millisecond. */
  modifiedAt: number;
}

/**
 * Everything that decides a package's bytes: the pass, template and business as written, and the
 * deployment's signing certificates and wallet settings. Any change gives a new cache entry and ETag.
 */
function packageKey(ctx: PassContext, identity: AppleIdentity, certificates: string): Promise<string> {
  const { pass, template, business } = ctx;
  return sha256Hex(
    JSON.stringify([
      pass.id,
      pass.version,
      template.id,
      template.updatedAt,
      business.updatedAt,
      certificates,
      identity.passTypeIdentifier,
      identity.teamIdentifier,
      identity.webServiceURL,
      identity.appOrigin,
      identity.barcodeSecret,
      identity.nfcPublicKey ?? null,
    ]),
  );
}

/** Newest write among pass, template and business: the content's modification time. */
const passModifiedAt = (ctx: PassContext) =>
  Math.max(Date.parse(ctx.pass.updated_at), Date.parse(ctx.template.updatedAt), Date.parse(ctx.business.updatedAt));

/**
 * The signed .pkpass for the pass as it is now. Built once per version and configuration and kept
 * in the colo's cache, so repeated downloads and Wallet's refreshes do not re-sign.
 */
export async function renderPkpass(config: Config, images: R2Bucket, ctx: PassContext): Promise<BuiltPass> {
  const wallet = await appleWallet(config);
  const key = await packageKey(ctx, wallet.identity, wallet.signer.fingerprint);
  const meta = { etag: `"${key.slice(0, 32)}"`, modifiedAt: passModifiedAt(ctx) };
  const cacheKey = new Request(`https://pkpass.cache.passlite.internal/${key}`);
  const cache = await caches.open("pkpass");
  const hit = await cache.match(cacheKey);
  if (hit) return { bytes: new Uint8Array(await hit.arrayBuffer()), ...meta };

  const bytes = await buildPkpass(await applePassFiles(ctx, wallet.identity, images), wallet.signer, { signingTime: new Date() });
  await cache.put(cacheKey, new Response(bytes, { headers: { "Cache-Control": "max-age=86400" } }));
  return { bytes, ...meta };
}
