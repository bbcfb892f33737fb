import { describe, expect, it } from "vitest";
import { defaultIcons, solidColorPng } from "../../../src/wallet/apple/default-icon";
import { readPng } from "./png";

describe("default icon", () => {
  it("encodes a valid solid-colour RGB PNG", () => {
    const png = readPng(solidColorPng(29, 29, [10, 20, 30]));
    expect(png).toEqual({
      chunkTypes: ["IHDR", "IDAT", "IEND"],
      width: 29,
      height: 29,
      bitDepth: 8,
      colorType: 2,
      rawLength: 29 * (1 + 29 * 3),
      firstPixel: [10, 20, 30],
    });
  });

  it("makes 29×29, 58×58 @2x and 87×87 @3x icons, cached per colour but handed out as copies", () => {
    const icons = defaultIcons([255, 0, 128]);
    expect(readPng(icons["icon.png"])).toMatchObject({ width: 29, height: 29, firstPixel: [255, 0, 128] });
    expect(readPng(icons["icon@2x.png"])).toMatchObject({ width: 58, height: 58, firstPixel: [255, 0, 128] });
    expect(readPng(icons["icon@3x.png"])).toMatchObject({ width: 87, height: 87, firstPixel: [255, 0, 128] });
    icons["icon.png"].fill(0);
    expect(readPng(defaultIcons([255, 0, 128])["icon.png"]).width).toBe(29);
  });

  it("computes the CRC of every chunk correctly", () => {
    const png = solidColorPng(3, 2, [1, 2, 3]);
    // IEND's CRC is a constant of the format.
    expect([...png.subarray(png.length - 4)]).toEqual([0xae, 0x42, 0x60, 0x82]);
  });
});
