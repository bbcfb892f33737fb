import { describe, expect, it } from "vitest";
import { appleSlotsShown } from "../../../src/wallet/apple/image-specs";

describe("appleSlotsShown", () => {
  it("keeps only the images the pass style shows", () => {
    expect(appleSlotsShown("loyalty", ["icon", "logo", "strip"])).toEqual(["icon", "logo", "strip"]);
    expect(appleSlotsShown("membership", ["icon", "strip", "thumbnail"])).toEqual(["icon", "thumbnail"]);
  });

  it("gives event tickets either a strip or a background and thumbnail, never both", () => {
    expect(appleSlotsShown("event_ticket", ["logo", "strip"])).toEqual(["logo", "strip"]);
    expect(appleSlotsShown("event_ticket", ["logo", "strip", "background"])).toEqual(["logo", "background"]);
    expect(appleSlotsShown("event_ticket", ["strip", "thumbnail"])).toEqual(["thumbnail"]);
  });
});
