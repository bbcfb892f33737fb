// The files made from one uploaded image: Apple's three densities of the slot, sized for the
// template's pass style, and Google's versions (program logo, hero image). All are made at upload
// time and kept in R2, so building a pass or a Google class does no image work.
import type { Frame } from "../../lib/image-resize";
import { APPLE_STYLES, appleImageArea, appleImageFile, DENSITIES } from "../../wallet/apple/image-specs";
import { GOOGLE_HERO, GOOGLE_LOGO } from "../../wallet/google/image-specs";
import type { TemplateType } from "../enums";
import { IMAGE_SLOTS, type ImageSlot, type StoredImage } from "./design";

export interface Rendition {
  /** Its name under `templates/{id}/` in R2 and in the public asset route. */
  file: string;
  frame: Frame;
  /** Where it is shown, for messages. */
  shownAs: string;
  /** Made from a larger rendition of the same upload (cheaper than from a large upload) rather than the upload. */
  from?: string;
  /** The upload must be at least this large: it is never scaled up to make this file. */
  minimum: boolean;
}

/** Where a template's image file is kept in R2. */
export const imageKey = (templateId: string, file: string) => `templates/${templateId}/${file}`;

/** Public URL of a template image; `version` changes with the upload, so the URL can be cached forever. */
export const templateImageUrl = (origin: string, templateId: string, file: string, version: string) =>
  `${origin}/assets/templates/${templateId}/${file}?v=${version}`;

export const imageVersion = (image: StoredImage) => image.sha256.slice(0, 12);

/** Google's program logo: from the logo, else the icon (else the generated icon). */
export const googleLogoFile = (slot: "logo" | "icon") => `google-${slot}.png`;
export const GOOGLE_HERO_FILE = "google-hero.png";

/** Every file an upload can produce, which the public asset route serves. */
export const RENDITION_FILES: [string, ...string[]] = [
  googleLogoFile("icon"),
  googleLogoFile("logo"),
  GOOGLE_HERO_FILE,
  ...IMAGE_SLOTS.flatMap((slot) => DENSITIES.map((density) => appleImageFile(slot, density))),
];

/** What an upload to `slot` of a `type` template becomes, largest Apple density first. */
export function renditionsOf(slot: ImageSlot, type: TemplateType): Rendition[] {
  const renditions: Rendition[] = [];
  const area = appleImageArea(slot, type);
  if (area) {
    const largest = appleImageFile(slot, 3);
    for (const density of [...DENSITIES].reverse()) {
      renditions.push({
        file: appleImageFile(slot, density),
        frame: { fit: area.fit, width: area.width * density, height: area.height * density },
        shownAs: `Apple Wallet's @${density}x ${slot} on ${APPLE_STYLES[type]} passes`,
        ...(density === 3 ? {} : { from: largest }),
        minimum: density === 3,
      });
    }
  }
  if (slot === "logo" || slot === "icon") {
    // A small logo is scaled up rather than refused: Google asks for a larger square than Apple's @3x.
    renditions.push({
      file: googleLogoFile(slot),
      frame: { fit: "square-logo", width: GOOGLE_LOGO.size, inset: GOOGLE_LOGO.inset },
      shownAs: "Google Wallet's program logo",
      minimum: false,
    });
  }
  if (slot === "strip") {
    renditions.push({
      file: GOOGLE_HERO_FILE,
      frame: { fit: "cover", ...GOOGLE_HERO },
      shownAs: "Google Wallet's hero image",
      minimum: true,
    });
  }
  return renditions;
}

/** The width and height a frame gives its image at most. */
export const frameBox = (frame: Frame) => ({ width: frame.width, height: frame.fit === "square-logo" ? frame.width : frame.height });

/** The renditions an upload of this size is too small for (it would have to be scaled up). */
export function tooSmallFor(renditions: Rendition[], size: { width: number; height: number }): Rendition[] {
  return renditions.filter(({ frame, minimum }) => {
    if (!minimum) return false;
    const box = frameBox(frame);
    // Covering needs both sides; containing needs the side that limits the scale.
    return frame.fit === "contain"
      ? size.width < box.width && size.height < box.height
      : size.width < box.width || size.height < box.height;
  });
}
