import { describe, expect, it } from "vitest";
import { containedSize, decodeImage, encodePng, type Frame, fitImage } from "../../src/lib/image-resize";
import { makePng, type Paint, pixelAt, pngSize } from "../support/images";

function fitToPng(png: Uint8Array, frame: Frame): Uint8Array {
  const source = decodeImage(png)!;
  const fitted = fitImage(source, frame);
  try {
    return encodePng(fitted);
  } finally {
    fitted.free();
    source.free();
  }
}

// Green in the middle third of the height, red above and below.
const bands: Paint = (_x, y, _w, h) => (y < h / 3 || y >= (2 * h) / 3 ? [255, 0, 0, 255] : [0, 255, 0, 255]);

describe("fitImage", () => {
  it("contains: scales the whole image into the frame, keeping its aspect ratio", () => {
    expect(pngSize(fitToPng(makePng(1000, 500), { fit: "contain", width: 480, height: 150 }))).toEqual({ width: 300, height: 150 });
    expect(pngSize(fitToPng(makePng(2000, 100), { fit: "contain", width: 480, height: 150 }))).toEqual({ width: 480, height: 24 });
    expect(containedSize({ width: 5000, height: 1 }, 480, 150)).toEqual({ width: 480, height: 1 });
  });

  it("covers: exactly the frame's size, centre-cropped", () => {
    const strip = fitToPng(makePng(900, 900, bands), { fit: "cover", width: 750, height: 246 });
    expect(pngSize(strip)).toEqual({ width: 750, height: 246 });
    // The 900×295 centre band is all that is kept: green to the edges.
    for (const [x, y] of [
      [0, 0],
      [749, 0],
      [0, 245],
      [749, 245],
      [375, 123],
    ] as const)
      expect(pixelAt(strip, x, y)).toEqual([0, 255, 0, 255]);
  });

  it("makes a square logo: the image in the middle 70%, transparent around it", () => {
    const logo = fitToPng(
      makePng(400, 100, () => [0, 0, 255, 255]),
      { fit: "square-logo", width: 660, inset: 0.7 },
    );
    expect(pngSize(logo)).toEqual({ width: 660, height: 660 });
    expect(pixelAt(logo, 330, 330)).toEqual([0, 0, 255, 255]);
    expect(pixelAt(logo, 0, 0)[3]).toBe(0);
    expect(pixelAt(logo, 330, 99 + 58)[3]).toBe(0); // above the 462×116 logo
    expect(pixelAt(logo, 99 + 4, 330)).toEqual([0, 0, 255, 255]); // its left edge, 99 px in
  });

  it("returns null for bytes that do not decode, and keeps working after", () => {
    expect(decodeImage(new Uint8Array(200).fill(7))).toBeNull();
    expect(pngSize(fitToPng(makePng(90, 90), { fit: "contain", width: 29, height: 29 }))).toEqual({ width: 29, height: 29 });
  });
});
