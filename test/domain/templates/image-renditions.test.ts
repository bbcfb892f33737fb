import { describe, expect, it } from "vitest";
import { TEMPLATE_TYPES } from "../../../src/domain/enums";
import { frameBox, renditionsOf, tooSmallFor } from "../../../src/domain/templates/image-renditions";

const sizes = (slot: Parameters<typeof renditionsOf>[0], type: Parameters<typeof renditionsOf>[1]) =>
  Object.fromEntries(
    renditionsOf(slot, type).map((r) => [r.file, `${r.frame.fit} ${frameBox(r.frame).width}×${frameBox(r.frame).height}`]),
  );

describe("renditionsOf", () => {
  it("makes the icon at 29, 58 and 87 px and Google's 660 px square logo, for every type", () => {
    for (const type of TEMPLATE_TYPES) {
      expect(sizes("icon", type)).toEqual({
        "icon@3x.png": "cover 87×87",
        "icon@2x.png": "cover 58×58",
        "icon.png": "cover 29×29",
        "google-icon.png": "square-logo 660×660",
      });
    }
  });

  it("fits the logo within 160×50 points at each density", () => {
    expect(sizes("logo", "loyalty")).toEqual({
      "logo@3x.png": "contain 480×150",
      "logo@2x.png": "contain 320×100",
      "logo.png": "contain 160×50",
      "google-logo.png": "square-logo 660×660",
    });
  });

  it("sizes the strip for the pass style, and always makes Google's 1032×336 hero image from it", () => {
    const strip3x = (type: (typeof TEMPLATE_TYPES)[number]) => sizes("strip", type)["strip@3x.png"];
    expect(strip3x("loyalty")).toBe("cover 1125×369");
    expect(strip3x("gift_card")).toBe("cover 1125×432");
    expect(strip3x("coupon")).toBe("cover 1125×432");
    expect(strip3x("event_ticket")).toBe("cover 1125×294");
    expect(sizes("strip", "event_ticket")["strip.png"]).toBe("cover 375×98");
    // Generic passes show no strip: only the hero image is made.
    expect(sizes("strip", "membership")).toEqual({ "google-hero.png": "cover 1032×336" });
    expect(sizes("strip", "loyalty")["google-hero.png"]).toBe("cover 1032×336");
  });

  it("makes thumbnails (90×90 pt) for event tickets and generic passes, backgrounds (180×220 pt) for event tickets", () => {
    expect(sizes("thumbnail", "event_ticket")).toEqual({
      "thumbnail@3x.png": "contain 270×270",
      "thumbnail@2x.png": "contain 180×180",
      "thumbnail.png": "contain 90×90",
    });
    expect(Object.keys(sizes("thumbnail", "generic"))).toHaveLength(3);
    expect(sizes("thumbnail", "loyalty")).toEqual({});
    expect(sizes("background", "event_ticket")["background@3x.png"]).toBe("cover 540×660");
    expect(sizes("background", "coupon")).toEqual({});
  });
});

describe("tooSmallFor", () => {
  const files = (slot: Parameters<typeof renditionsOf>[0], type: Parameters<typeof renditionsOf>[1], width: number, height: number) =>
    tooSmallFor(renditionsOf(slot, type), { width, height }).map((r) => r.file);

  it("needs both sides for covered images and one for contained ones; never Google's logo", () => {
    expect(files("icon", "loyalty", 87, 87)).toEqual([]);
    expect(files("icon", "loyalty", 86, 86)).toEqual(["icon@3x.png"]);
    expect(files("strip", "event_ticket", 1125, 300)).toEqual(["google-hero.png"]);
    expect(files("strip", "loyalty", 2000, 368)).toEqual(["strip@3x.png"]);
    expect(files("logo", "loyalty", 480, 20)).toEqual([]);
    expect(files("logo", "loyalty", 100, 150)).toEqual([]);
    expect(files("logo", "loyalty", 479, 149)).toEqual(["logo@3x.png"]);
  });
});
