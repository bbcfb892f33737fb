import { describe, expect, it } from "vitest";
import { readImageHeader } from "../../src/lib/image-header";
import { solidColorPng } from "../../src/wallet/apple/default-icon";
import { makeJpeg, makePng } from "../support/images";

describe("readImageHeader", () => {
  it("reads the size of PNGs and JPEGs without decoding them", () => {
    expect(readImageHeader(solidColorPng(300, 120, [1, 2, 3]))).toEqual({ format: "png", width: 300, height: 120 });
    expect(readImageHeader(makePng(64, 48))).toEqual({ format: "png", width: 64, height: 48 });
    expect(readImageHeader(makeJpeg(640, 200))).toEqual({ format: "jpeg", width: 640, height: 200 });
  });

  it("refuses other formats and files that are cut short or damaged", () => {
    const png = solidColorPng(40, 40, [1, 2, 3]);
    expect(readImageHeader(new TextEncoder().encode("GIF89a not an image"))).toBeNull();
    expect(readImageHeader(png.subarray(0, png.length - 12))).toBeNull(); // no IEND
    const flipped = png.slice();
    flipped[45] = flipped[45]! ^ 0xff; // inside IDAT: its CRC no longer matches
    expect(readImageHeader(flipped)).toBeNull();
    const jpeg = makeJpeg(100, 100);
    expect(readImageHeader(jpeg.subarray(0, 22))).toBeNull(); // ends before its frame header
    // A JPEG cut short after its frame header passes here; decoding it fails (see the upload tests).
  });
});
