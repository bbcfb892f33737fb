import { describe, expect, it } from "vitest";
import { base64Decode, base64UrlEncode, toHex } from "../../src/lib/encoding";

describe("encoding", () => {
  it("round-trips bytes through base64url and reads standard base64 too", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0x00, 0x3e, 0x3f]);
    expect(base64UrlEncode(bytes)).toBe("-_8APj8");
    expect(base64Decode("-_8APj8")).toEqual(bytes);
    expect(base64Decode("+/8APj8=")).toEqual(bytes);
    expect(base64Decode(" +/8A\nPj8= ")).toEqual(bytes);
  });

  it("refuses what is not base64", () => {
    for (const text of ["", "=", "a", "ab$c", "abcde"]) expect(() => base64Decode(text), text).toThrow(TypeError);
  });

  it("writes lower-case hex", () => {
    expect(toHex(Uint8Array.from([0, 15, 255]))).toBe("000fff");
    expect(toHex(Uint8Array.from([171]).buffer)).toBe("ab");
  });
});
