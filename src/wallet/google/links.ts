import { barcodeMessage } from "../../domain/barcodes";
import type { TemplateDesign } from "../../domain/templates/design";
import { GOOGLE_HERO_FILE, googleLogoFile, imageVersion, templateImageUrl } from "../../domain/templates/image-renditions";
import type { Env } from "../../env";
import { barcodeSecret } from "../apple/config";
import { brandColor, organizationName, type PassContext, passDescription, passStatus } from "../content";
import { type GoogleResources, googleResourcesFor } from "./classes-objects";
import { createSaveLink } from "./save-link";
import { createGoogleWalletClient, type GoogleWalletResult } from "./wallet-api";

export interface GoogleWallet {
  saveUrl(ctx: PassContext): Promise<string>;
  syncObject(ctx: PassContext): Promise<GoogleWalletResult>;
}

/**
 * The class's images, made at upload time (domain/templates/image-renditions.ts). Google requires
 * a logo on loyalty classes: the uploaded logo, else the icon, else the generated icon. The hero
 * image comes from the strip.
 */
export function googleClassImages(origin: string, template: { id: string; design: TemplateDesign }) {
  const { images, colors } = template.design;
  const logoSlot = images.logo ? "logo" : "icon";
  const logo = images[logoSlot];
  const logoVersion = logo ? imageVersion(logo) : `default-${(colors.background ?? "").replace("#", "")}`;
  return {
    logoUrl: templateImageUrl(origin, template.id, googleLogoFile(logoSlot), logoVersion),
    heroImageUrl: images.strip ? templateImageUrl(origin, template.id, GOOGLE_HERO_FILE, imageVersion(images.strip)) : null,
  };
}

/** PassLite's view of a pass, in the mapping's terms: the same barcode the Apple pass shows. */
async function resourcesFor(env: Env, issuerId: string, ctx: PassContext): Promise<GoogleResources> {
  const { template, design, pass } = ctx;
  return googleResourcesFor(
    issuerId,
    {
      id: template.id,
      type: template.type,
      name: passDescription(ctx),
      organizationName: organizationName(ctx),
      description: design.description,
      colors: { background: brandColor(ctx, "background") ?? null },
      ...googleClassImages(env.API_ORIGIN, template),
      eventName: design.event.name,
      venue: design.event.venue,
      eventStart: design.event.starts_at,
      callbackUrl: `${env.API_ORIGIN}/api/v1/wallet/google/callback`,
    },
    {
      serialNumber: pass.serial_number,
      status: passStatus(ctx),
      customerName: pass.customer_name,
      points: pass.points,
      stamps: pass.stamps,
      stampGoal: design.stamp_goal,
      balance: null,
      balanceMinor: pass.balance_minor,
      currency: pass.currency,
      barcode: {
        format: design.barcode_format,
        value: await barcodeMessage(
          { appOrigin: env.APP_ORIGIN, secret: barcodeSecret(env), signed: design.scan_security.signed_barcodes },
          pass,
        ),
        altText: pass.serial_number,
      },
      expiresAt: pass.expires_at,
    },
  );
}

/** Google Wallet when an issuer and service account are configured; otherwise null (the button is hidden). */
export function googleWallet(env: Env): GoogleWallet | null {
  const issuerId = env.GOOGLE_ISSUER_ID;
  const serviceAccountEmail = env.GOOGLE_SERVICE_ACCOUNT_EMAIL;
  const privateKeyPem = env.GOOGLE_PRIVATE_KEY;
  if (!issuerId || !serviceAccountEmail || !privateKeyPem) return null;
  const client = createGoogleWalletClient({
    apiOrigin: env.GOOGLE_API_ORIGIN,
    tokenUrl: env.GOOGLE_TOKEN_URL,
    serviceAccountEmail,
    privateKeyPem,
  });
  return {
    saveUrl: async (ctx) =>
      createSaveLink(
        { serviceAccountEmail, privateKeyPem, origins: [env.APP_ORIGIN, env.API_ORIGIN] },
        await resourcesFor(env, issuerId, ctx),
      ),
    syncObject: async (ctx) => client.upsertObject(await resourcesFor(env, issuerId, ctx)),
  };
}

export async function googleSaveUrl(env: Env, ctx: PassContext): Promise<string | null> {
  return (await googleWallet(env)?.saveUrl(ctx)) ?? null;
}
