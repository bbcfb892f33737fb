// Colours as PassLite stores them ("#rrggbb") and as pass.json wants them ("rgb(r, g, b)").

import { toHex } from "../../lib/encoding";
export type Rgb = readonly [number, number, number];

/** "#rrggbb" or "#rgb" → [r, g, b]; null for anything else. */
export function parseHexColor(hex: string): Rgb | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) return null;
  const digits = match[1]!.length === 3 ? [...match[1]!].map((d) => d + d).join("") : match[1]!;
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** pass.json's "rgb(r, g, b)" → [r, g, b]; null when it is not that shape. */
export function parseRgbColor(value: string): Rgb | null {
  const match = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(value.trim());
  if (!match) return null;
  const rgb = [match[1], match[2], match[3]].map(Number);
  return rgb.every((c) => c <= 255) ? (rgb as unknown as Rgb) : null;
}

export const formatRgbColor = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

/** [r, g, b] → "rrggbb" (no #), as colour-named asset URLs carry it. */
export const formatHexDigits = (rgb: Rgb): string => toHex(Uint8Array.from(rgb));
