import type { Tenant } from "../../db/tenant";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { type ImageHeader, readImageHeader } from "../../lib/image-header";
import { decodeImage, encodePng, fitImage } from "../../lib/image-resize";
import type { Principal } from "../../types";
import { formatHexDigits, parseHexColor } from "../../wallet/apple/colors";
import { DEFAULT_ICON_COLOR, DEFAULT_ICON_SIZES, type DefaultIconFile, defaultIcons, solidColorPng } from "../../wallet/apple/default-icon";
import { appleImageArea } from "../../wallet/apple/image-specs";
import { GOOGLE_LOGO } from "../../wallet/google/image-specs";
import { TEMPLATE_TYPES, type TemplateType } from "../enums";
import type { ImageSlot, StoredImage, TemplateDesign } from "./design";
import { frameBox, googleLogoFile, imageKey, type Rendition, renditionsOf, tooSmallFor } from "./image-renditions";
import { loadTemplate, presentTemplate, saveTemplate } from "./index";

/**
 * 4 MB: a photographic strip or background saved as PNG at Apple's @3x size (1125×432, 540×660)
 * is already around 1 MB, and uploads are meant to be larger than that. Memory is bounded by
 * MAX_IMAGE_PIXELS, not by this.
 */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
/**
 * Decoding and resizing peak at about 15 bytes of WebAssembly memory per pixel (measured in
 * workerd), so 4 megapixels stays near 60 MB of a Worker's 128 MB. The largest file made is 1125 px wide.
 */
export const MAX_IMAGE_PIXELS = 4_000_000;

function reject(path: string, message: string): never {
  throw new ApiError("validation_error", message, { fields: [{ path, message }] });
}

const withArticle = (type: TemplateType) => `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;

const dimensions = (size: { width: number; height: number }) => `${size.width}×${size.height}`;

/** "at least 1125×369 pixels" when covering, "at least 480 pixels wide or 150 pixels tall" when containing. */
function minimumText(required: Rendition[]): string {
  const boxes = required.map((r) => frameBox(r.frame));
  if (required.every((r) => r.frame.fit === "cover")) {
    return `at least ${Math.max(...boxes.map((b) => b.width))}×${Math.max(...boxes.map((b) => b.height))} pixels`;
  }
  return `at least ${boxes[0]!.width} pixels wide or ${boxes[0]!.height} pixels tall`;
}

/** The checks that need no decoding, cheapest first; returns the renditions to make. */
export function checkUpload(slot: ImageSlot, type: TemplateType, bytes: Uint8Array): { header: ImageHeader; renditions: Rendition[] } {
  if (bytes.byteLength === 0) reject("body", "The request body must be the image (PNG or JPEG)");
  if (bytes.byteLength > MAX_IMAGE_BYTES) {
    throw new ApiError("payload_too_large", `Images must be at most 4 MB; this one is ${Math.ceil(bytes.byteLength / 1024)} KB`);
  }
  const header = readImageHeader(bytes);
  if (!header) reject("body", "The image must be a PNG or JPEG file, complete and undamaged");

  const renditions = renditionsOf(slot, type);
  if (renditions.length === 0) {
    const types = TEMPLATE_TYPES.filter((t) => appleImageArea(slot, t));
    const message = `${withArticle(type)} template has no ${slot} image: Apple Wallet shows one only on ${types.join(", ")} passes`;
    reject("slot", message.charAt(0).toUpperCase() + message.slice(1));
  }
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    reject("body", `Images may have at most 4 megapixels (such as 2000×2000); this one is ${dimensions(header)}`);
  }
  if (slot === "icon" && header.width !== header.height) reject("body", `An icon image must be square; this one is ${dimensions(header)}`);
  if (tooSmallFor(renditions, header).length > 0) {
    const required = renditions.filter((r) => r.minimum);
    const uses = required.map((r) => `${r.shownAs} ${r.frame.fit === "contain" ? "fits in" : "is"} ${dimensions(frameBox(r.frame))}`);
    reject(
      "body",
      `The ${slot} image is too small: ${withArticle(type)} template needs ${minimumText(required)} (${uses.join(", ")}); this one is ${dimensions(header)}`,
    );
  }
  return { header, renditions };
}

/** Decodes the upload once and makes every rendition as PNG. */
export function renderRenditions(bytes: Uint8Array, renditions: Rendition[]): Record<string, Uint8Array> {
  const source = decodeImage(bytes);
  if (!source) reject("body", "The image could not be decoded; save it again as PNG or JPEG");
  const made = new Map<string, ReturnType<typeof fitImage>>();
  try {
    const files: Record<string, Uint8Array> = {};
    for (const rendition of renditions) {
      const image = fitImage((rendition.from && made.get(rendition.from)) || source, rendition.frame);
      made.set(rendition.file, image);
      files[rendition.file] = encodePng(image);
    }
    return files;
  } finally {
    for (const image of made.values()) image.free();
    source.free();
  }
}

export async function putTemplateImage(
  tenant: Tenant,
  bucket: R2Bucket,
  principal: Principal,
  origin: string,
  input: { templateId: string; slot: ImageSlot; bytes: Uint8Array },
) {
  const { row, design } = await loadTemplate(tenant, principal, input.templateId);
  const { header, renditions } = checkUpload(input.slot, row.type, input.bytes);
  const files = renderRenditions(input.bytes, renditions);
  await Promise.all(
    Object.entries(files).map(([file, png]) => bucket.put(imageKey(row.id, file), png, { httpMetadata: { contentType: "image/png" } })),
  );
  const stored: StoredImage = {
    sha256: await sha256Hex(input.bytes),
    width: header.width,
    height: header.height,
    bytes: input.bytes.byteLength,
    updated_at: new Date().toISOString(),
  };
  const next: TemplateDesign = { ...design, images: { ...design.images, [input.slot]: stored } };
  const updated = await saveTemplate(tenant, principal, row.id, { design: next }, { image: input.slot });
  return presentTemplate(updated, origin);
}

/** Template images are public: they are printed on every pass the template issues. */
export async function readTemplateImage(bucket: R2Bucket, templateId: string, file: string) {
  const object = await bucket.get(imageKey(templateId, file));
  if (!object) throw new ApiError("not_found", `Template ${templateId} has no image ${file}`);
  return { body: object.body, etag: object.httpEtag };
}

/** The generated icon's files: Apple's three densities and Google's program logo. */
export const GENERATED_ICON_FILES = [...(Object.keys(DEFAULT_ICON_SIZES) as DefaultIconFile[]), googleLogoFile("icon")] as const;

/**
 * The icon a template without one carries, in a colour ("1e3a8a"): served by colour, so Google
 * Wallet (which requires a logo on loyalty classes) always has one to fetch, whatever shard the
 * template lives in.
 */
export function generatedIcon(hex: string, file: (typeof GENERATED_ICON_FILES)[number]) {
  const color = parseHexColor(`#${hex}`) ?? DEFAULT_ICON_COLOR;
  const png =
    file === googleLogoFile("icon")
      ? solidColorPng(GOOGLE_LOGO.size, GOOGLE_LOGO.size, color)
      : defaultIcons(color)[file as DefaultIconFile];
  return { body: png.slice().buffer, etag: `"default-${hex}-${file}"` };
}

export const generatedIconPath = (background: string | null, file: (typeof GENERATED_ICON_FILES)[number]) =>
  `/assets/icons/${formatHexDigits((background && parseHexColor(background)) || DEFAULT_ICON_COLOR)}/${file}`;
