import type { Tenant } from "../../db/tenant";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import type { Principal } from "../../types";
import { formatHexDigits, parseHexColor } from "../../wallet/apple/colors";
import { DEFAULT_ICON_COLOR, defaultIcons } from "../../wallet/apple/default-icon";
import type { ImageSlot, TemplateDesign } from "./design";
import { loadTemplate, presentTemplate, saveTemplate } from "./index";

const MAX_BYTES = 1024 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Apple's @3x sizes bound each slot; the icon must be square. */
const SLOT_BOUNDS: Record<ImageSlot, { minWidth: number; minHeight: number; maxWidth: number; maxHeight: number; square?: boolean }> = {
  icon: { minWidth: 29, minHeight: 29, maxWidth: 1024, maxHeight: 1024, square: true },
  logo: { minWidth: 20, minHeight: 20, maxWidth: 480, maxHeight: 150 },
  strip: { minWidth: 100, minHeight: 40, maxWidth: 1125, maxHeight: 432 },
};

export const imageKey = (templateId: string, slot: ImageSlot) => `templates/${templateId}/${slot}.png`;

function reject(message: string): never {
  throw new ApiError("validation_error", message, { fields: [{ path: "body", message }] });
}

/** Reads the dimensions from the IHDR chunk, after checking this really is a PNG. */
export function pngDimensions(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.byteLength < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) reject("The image must be a PNG file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== "IHDR") reject("The PNG file is malformed (no IHDR header)");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function checkImage(slot: ImageSlot, bytes: Uint8Array): { width: number; height: number } {
  if (bytes.byteLength === 0) reject("The request body must be the PNG image");
  if (bytes.byteLength > MAX_BYTES) {
    throw new ApiError("payload_too_large", `Images must be at most 1 MB; this one is ${Math.ceil(bytes.byteLength / 1024)} KB`);
  }
  const size = pngDimensions(bytes);
  const b = SLOT_BOUNDS[slot];
  if (size.width < b.minWidth || size.height < b.minHeight || size.width > b.maxWidth || size.height > b.maxHeight) {
    reject(
      `A ${slot} image must be between ${b.minWidth}×${b.minHeight} and ${b.maxWidth}×${b.maxHeight} pixels; this one is ${size.width}×${size.height}`,
    );
  }
  if (b.square && size.width !== size.height) reject(`A ${slot} image must be square; this one is ${size.width}×${size.height}`);
  return size;
}

export async function putTemplateImage(
  tenant: Tenant,
  bucket: R2Bucket,
  principal: Principal,
  origin: string,
  input: { templateId: string; slot: ImageSlot; bytes: Uint8Array },
) {
  const { row, design } = await loadTemplate(tenant, principal, input.templateId);
  const size = checkImage(input.slot, input.bytes);
  const sha256 = await sha256Hex(input.bytes);
  await bucket.put(imageKey(row.id, input.slot), input.bytes, { httpMetadata: { contentType: "image/png" }, sha256 });
  const images = {
    ...design.images,
    [input.slot]: { sha256, ...size, bytes: input.bytes.byteLength, updated_at: new Date().toISOString() },
  };
  const next: TemplateDesign = { ...design, images };
  const updated = await saveTemplate(tenant, principal, row.id, { design: next }, { image: input.slot });
  return presentTemplate(updated, origin);
}

/** Template images are public: they are printed on every pass the template issues. */
export async function readTemplateImage(bucket: R2Bucket, templateId: string, slot: ImageSlot) {
  const object = await bucket.get(imageKey(templateId, slot));
  if (!object) throw new ApiError("not_found", `Template ${templateId} has no ${slot} image`);
  return { body: object.body, etag: object.httpEtag };
}

/**
 * The icon a template without one carries, in its background colour: served by colour, so
 * Google Wallet (which requires a logo for loyalty classes) always has one to fetch.
 */
export function generatedIcon(hex: string) {
  const color = parseHexColor(`#${hex}`) ?? DEFAULT_ICON_COLOR;
  return { body: defaultIcons(color)["icon@2x.png"].slice().buffer, etag: `"default-${hex}"` };
}

export const generatedIconPath = (background: string | null) =>
  `/assets/icons/${formatHexDigits((background && parseHexColor(background)) || DEFAULT_ICON_COLOR)}.png`;
