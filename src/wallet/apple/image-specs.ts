// Apple's rules for pass images (Wallet Developer Guide, "Pass Design and Creation"): which
// images each pass style shows, and the space each gets, in points. Files come at 1x, 2x and 3x.
import type { TemplateType } from "../../domain/enums";
import type { ImageSlot } from "../../domain/templates/design";
import type { ApplePassStyle } from "./pass-json";

export const APPLE_STYLES: Record<TemplateType, ApplePassStyle> = {
  loyalty: "storeCard",
  gift_card: "storeCard",
  event_ticket: "eventTicket",
  coupon: "coupon",
  membership: "generic",
  generic: "generic",
};

export const DENSITIES = [1, 2, 3] as const;
export type Density = (typeof DENSITIES)[number];

/**
 * `cover`: Wallet scales the image to fill the area and crops the overflow, so the files are made
 * at exactly the area's size. `contain`: the image is shown whole within the area.
 */
export interface AppleImageArea {
  width: number;
  height: number;
  fit: "contain" | "cover";
}

const STYLE_IMAGES: Record<ApplePassStyle, ImageSlot[]> = {
  storeCard: ["icon", "logo", "strip"],
  coupon: ["icon", "logo", "strip"],
  eventTicket: ["icon", "logo", "strip", "background", "thumbnail"],
  generic: ["icon", "logo", "thumbnail"],
};

// On current iPhones: 375×98 on event tickets, 375×144 on gift cards and coupons, 375×123 otherwise.
const STRIP_HEIGHT: Partial<Record<TemplateType, number>> = { event_ticket: 98, gift_card: 144, coupon: 144, loyalty: 123 };

/** The area a template type's passes give an image slot, or null when its style shows no such image. */
export function appleImageArea(slot: ImageSlot, type: TemplateType): AppleImageArea | null {
  if (!STYLE_IMAGES[APPLE_STYLES[type]].includes(slot)) return null;
  switch (slot) {
    case "icon":
      return { width: 29, height: 29, fit: "cover" };
    case "logo":
      return { width: 160, height: 50, fit: "contain" };
    case "strip":
      return { width: 375, height: STRIP_HEIGHT[type] ?? 123, fit: "cover" };
    case "thumbnail":
      // Apple crops thumbnails outside 2:3–3:2; within that, they are shown whole.
      return { width: 90, height: 90, fit: "contain" };
    case "background":
      // Shown blurred behind the whole front of the pass.
      return { width: 180, height: 220, fit: "cover" };
  }
}

export const appleImageFile = (slot: ImageSlot, density: Density) => (density === 1 ? `${slot}.png` : `${slot}@${density}x.png`);

/**
 * The uploaded slots a pass of this type carries. Event tickets show either a strip or a
 * background and thumbnail ("if you specify a strip image, do not specify a background image or
 * a thumbnail"): the background and thumbnail win, and the strip still serves Google's hero image.
 */
export function appleSlotsShown(type: TemplateType, uploaded: ImageSlot[]): ImageSlot[] {
  const shown = uploaded.filter((slot) => appleImageArea(slot, type));
  if (shown.includes("strip") && (shown.includes("background") || shown.includes("thumbnail"))) {
    return shown.filter((slot) => slot !== "strip");
  }
  return shown;
}
