import { barcodeMessage } from "../../domain/barcodes";
import type { ImageSlot } from "../../domain/templates/design";
import { imageKey } from "../../domain/templates/image-renditions";
import {
  brandColor,
  organizationName,
  type PassContext,
  passDescription,
  passStatus,
  type ResolvedField,
  resolveFields,
  w3cDateTime,
} from "../content";
import { APPLE_STYLES, appleImageFile, appleSlotsShown, DENSITIES } from "./image-specs";
import type { ApplePassField } from "./pass-json";
import { buildPassJson } from "./pass-json";

export interface AppleIdentity {
  passTypeIdentifier: string;
  teamIdentifier: string;
  webServiceURL: string;
  appOrigin: string;
  barcodeSecret: string;
  nfcPublicKey?: string;
}

const toAppleField = (f: ResolvedField): ApplePassField => ({
  key: f.key,
  value: f.value,
  ...(f.label ? { label: f.label } : {}),
  ...(f.changeMessage ? { changeMessage: f.changeMessage } : {}),
  ...(f.money ? { currencyCode: f.money.currency } : {}),
  ...(f.date
    ? {
        dateStyle: "PKDateStyleMedium",
        timeStyle: f.date.withTime ? "PKDateStyleShort" : "PKDateStyleNone",
        ...(f.date.local ? { ignoresTimeZone: true } : {}),
      }
    : {}),
});

/** pass.json for this pass as it is now: the template's layout filled with the pass's live values. */
export async function applePassJson(ctx: PassContext, identity: AppleIdentity) {
  const { pass, design, template } = ctx;
  const fields = resolveFields(ctx);
  const status = passStatus(ctx);
  const nfcMessage = pass.nfc_data ?? design.nfc_message;
  const colors = { background: brandColor(ctx, "background"), foreground: brandColor(ctx, "foreground"), label: brandColor(ctx, "label") };
  return buildPassJson({
    passTypeIdentifier: identity.passTypeIdentifier,
    teamIdentifier: identity.teamIdentifier,
    serialNumber: pass.serial_number,
    organizationName: organizationName(ctx),
    description: passDescription(ctx),
    style: APPLE_STYLES[template.type],
    colors: Object.fromEntries(Object.entries(colors).filter(([, v]) => v)) as Record<string, string>,
    fields: {
      header: fields.header.map(toAppleField),
      primary: fields.primary.map(toAppleField),
      secondary: fields.secondary.map(toAppleField),
      auxiliary: fields.auxiliary.map(toAppleField),
      back: fields.back.map(toAppleField),
    },
    barcode: {
      format: design.barcode_format,
      message: await barcodeMessage(
        { appOrigin: identity.appOrigin, secret: identity.barcodeSecret, signed: design.scan_security.signed_barcodes },
        pass,
      ),
      altText: pass.serial_number,
    },
    ...(nfcMessage && identity.nfcPublicKey ? { nfc: { message: nfcMessage, encryptionPublicKey: identity.nfcPublicKey } } : {}),
    webServiceURL: identity.webServiceURL,
    authenticationToken: pass.auth_token,
    ...(pass.expires_at ? { expirationDate: w3cDateTime(pass.expires_at) } : {}),
    ...(status === "voided" || status === "redeemed" ? { voided: true } : {}),
    ...(template.type === "event_ticket" && design.event.starts_at ? { relevantDate: w3cDateTime(design.event.starts_at) } : {}),
  });
}

/**
 * The files of the .pkpass before signing: pass.json and the template's images, each slot the
 * pass style shows at @1x, @2x and @3x, made at upload time and read from R2 as they are.
 */
export async function applePassFiles(ctx: PassContext, identity: AppleIdentity, images: R2Bucket): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = { "pass.json": new TextEncoder().encode(JSON.stringify(await applePassJson(ctx, identity))) };
  const slots = appleSlotsShown(ctx.template.type, Object.keys(ctx.design.images) as ImageSlot[]);
  const names = slots.flatMap((slot) => DENSITIES.map((density) => appleImageFile(slot, density)));
  await Promise.all(
    names.map(async (name) => {
      const object = await images.get(imageKey(ctx.template.id, name));
      if (object) files[name] = new Uint8Array(await object.arrayBuffer());
    }),
  );
  return files;
}
