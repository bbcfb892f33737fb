// Wallet refuses a pass without icon.png (it is shown on the lock screen and in Mail), so passes
// whose template has none get a solid square in the pass's colour at each density: 29, 58 and 87 px.
import { zlibSync } from "fflate";
import { concatBytes } from "../../lib/bytes";
import { crc32 } from "../../lib/crc32";
import type { Rgb } from "./colors";

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit RGB PNG of one colour. */
export function solidColorPng(width: number, height: number, [r, g, b]: Rgb): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filter, no interlace
  const stride = 1 + width * 3; // each scanline starts with filter type 0
  const raw = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set([r, g, b], y * stride + 1 + x * 3);
  }
  return concatBytes([PNG_SIGNATURE, chunk("IHDR", header), chunk("IDAT", zlibSync(raw, { level: 9 })), chunk("IEND", new Uint8Array(0))]);
}

/** Slate, for passes whose template and business set no colour. */
export const DEFAULT_ICON_COLOR: Rgb = [51, 65, 85];

/** Apple's icon is 29×29 points; the files are its @1x, @2x and @3x renderings. */
export const DEFAULT_ICON_SIZES = { "icon.png": 29, "icon@2x.png": 58, "icon@3x.png": 87 } as const;
export type DefaultIconFile = keyof typeof DEFAULT_ICON_SIZES;
export type DefaultIcons = Record<DefaultIconFile, Uint8Array>;
const ICON_FILES = Object.keys(DEFAULT_ICON_SIZES) as DefaultIconFile[];

const mapIcons = (make: (file: DefaultIconFile) => Uint8Array) =>
  Object.fromEntries(ICON_FILES.map((file) => [file, make(file)])) as DefaultIcons;

// Per isolate, per colour; bounded because colours come from customer templates.
const cache = new Map<string, DefaultIcons>();
const MAX_CACHED_COLORS = 256;

export function defaultIcons(color: Rgb): DefaultIcons {
  const key = color.join(",");
  let icons = cache.get(key);
  if (!icons) {
    icons = mapIcons((file) => solidColorPng(DEFAULT_ICON_SIZES[file], DEFAULT_ICON_SIZES[file], color));
    if (cache.size >= MAX_CACHED_COLORS) cache.delete(cache.keys().next().value!);
    cache.set(key, icons);
  }
  const cached = icons;
  // Copies, so a caller cannot alter the cached images.
  return mapIcons((file) => cached[file].slice());
}
