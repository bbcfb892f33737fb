import type { Config } from "../../config";
import { barcodeMessage } from "../../domain/barcodes";
import { GOOGLE_HERO_FILE, googleLogoFile, imageVersion, templateImageUrl } from "../../domain/templates/image-renditions";
import { generatedIconPath } from "../../domain/templates/images";
import { barcodeSecret } from "../apple/config";
import {
  brandColor,
  displayValue,
  organizationName,
  type PassContext,
  passDescription,
  passStatus,
  resolveFields,
  type TemplateContext,
} from "../content";
import {
  type GoogleResources,
  type GoogleTemplateInput,
  type GoogleText,
  googleClassFor,
  googleObjectRef,
  googleResourcesFor,
  shownByGoogle,
} from "./classes-objects";
import { createSaveLink } from "./save-link";
import { createGoogleWalletClient, type GoogleWalletResult } from "./wallet-api";

export interface GoogleWallet {
  saveUrl(ctx: PassContext): Promise<string>;
  syncObject(ctx: PassContext): Promise<GoogleWalletResult>;
  syncClass(ctx: TemplateContext): Promise<GoogleWalletResult>;
}

/**
 * The class's images, made at upload time (domain/templates/image-renditions.ts). Google requires
 * a logo on loyalty classes: the uploaded logo, else the icon, else the generated icon (served by
 * colour). The hero image comes from the strip.
 */
export function googleClassImages(origin: string, ctx: TemplateContext) {
  const { template, design } = ctx;
  const { images } = design;
  const logoSlot = images.logo ? "logo" : "icon";
  const logo = images[logoSlot];
  return {
    logoUrl: logo
      ? templateImageUrl(origin, template.id, googleLogoFile(logoSlot), imageVersion(logo))
      : `${origin}${generatedIconPath(brandColor(ctx, "background") ?? null, googleLogoFile("icon"))}`,
    heroImageUrl: images.strip ? templateImageUrl(origin, template.id, GOOGLE_HERO_FILE, imageVersion(images.strip)) : null,
  };
}

/** A template in the mapping's terms. */
function templateInput(config: Config, ctx: TemplateContext): GoogleTemplateInput {
  const { template, design } = ctx;
  return {
    id: template.id,
    type: template.type,
    name: passDescription(ctx),
    organizationName: organizationName(ctx),
    description: design.description,
    colors: { background: brandColor(ctx, "background") ?? null },
    ...googleClassImages(config.API_ORIGIN, ctx),
    eventName: design.event.name,
    venue: design.event.venue,
    eventStart: design.event.starts_at,
    callbackUrl: `${config.API_ORIGIN}/api/v1/wallet/google/callback`,
  };
}

/** The template's fields Google shows no other way, in every area's order, as people read them. */
function googleTexts(ctx: PassContext): GoogleText[] {
  const shown = shownByGoogle(ctx.template.type, ctx.design.stamp_goal);
  return Object.values(resolveFields(ctx))
    .flat()
    .filter((field) => !shown.includes(field.shows))
    .map((field) => ({ field, body: displayValue(field, ctx.business.timezone) }))
    .filter(({ body }) => body !== "")
    .map(({ field, body }) => ({ id: `field.${field.key}`, ...(field.label ? { header: field.label } : {}), body }));
}

/** PassLite's view of a pass, in the mapping's terms: the same barcode the Apple pass shows. */
async function resourcesFor(config: Config, issuerId: string, ctx: PassContext): Promise<GoogleResources> {
  const { design, pass } = ctx;
  return googleResourcesFor(issuerId, templateInput(config, ctx), {
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
        { appOrigin: config.APP_ORIGIN, secret: barcodeSecret(config), signed: design.scan_security.signed_barcodes },
        pass,
      ),
      altText: pass.serial_number,
    },
    expiresAt: pass.expires_at,
    texts: googleTexts(ctx),
  });
}

/** Google Wallet when an issuer and service account are configured; otherwise null (the button is hidden). */
export function googleWallet(config: Config): GoogleWallet | null {
  const issuerId = config.GOOGLE_ISSUER_ID;
  const serviceAccountEmail = config.GOOGLE_SERVICE_ACCOUNT_EMAIL;
  const privateKeyPem = config.GOOGLE_PRIVATE_KEY;
  if (!issuerId || !serviceAccountEmail || !privateKeyPem) return null;
  const client = createGoogleWalletClient({
    apiOrigin: config.GOOGLE_API_ORIGIN,
    tokenUrl: config.GOOGLE_TOKEN_URL,
    serviceAccountEmail,
    privateKeyPem,
  });
  // The app and the API may share one origin (as in development): Google wants each once.
  const origins = [...new Set([config.APP_ORIGIN, config.API_ORIGIN])];
  return {
    saveUrl: (ctx) =>
      createSaveLink({ serviceAccountEmail, privateKeyPem, origins }, googleObjectRef(issuerId, ctx.template, ctx.pass.serial_number)),
    syncObject: async (ctx) => client.upsertObject(await resourcesFor(config, issuerId, ctx)),
    syncClass: async (ctx) => client.upsertClass(googleClassFor(issuerId, templateInput(config, ctx))),
  };
}

export async function googleSaveUrl(config: Config, ctx: PassContext): Promise<string | null> {
  return (await googleWallet(config)?.saveUrl(ctx)) ?? null;
}
