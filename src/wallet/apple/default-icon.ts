// Wallet refuses a pass without icon.png (it is shown on the lock screen and in Mail), so passes
// whose template has none get a solid square in the pass's colour: 29×29 and 58×58 @2x.
import { zlibSync } from "fflate";
import { concatBytes } from "../../lib/bytes";
import type { Rgb } from "./colors";

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

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

export interface DefaultIcons {
  "icon.png": Uint8Array;
  "icon@2x.png": Uint8Array;
}

// Per isolate, per colour; bounded because colours come from customer templates.
const icons = new Map<string, DefaultIcons>();
const MAX_CACHED_COLORS = 256;

export function defaultIcons(color: Rgb): DefaultIcons {
  const key = color.join(",");
  let cached = icons.get(key);
  if (!cached) {
    cached = { "icon.png": solidColorPng(29, 29, color), "icon@2x.png": solidColorPng(58, 58, color) };
    if (icons.size >= MAX_CACHED_COLORS) icons.delete(icons.keys().next().value!);
    icons.set(key, cached);
  }
  // Copies, so a caller cannot alter the cached images.
  return { "icon.png": cached["icon.png"].slice(), "icon@2x.png": cached["icon@2x.png"].slice() };
}
