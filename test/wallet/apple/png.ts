// Just enough PNG decoding to check the generated icons: signature, IHDR, first pixel.
import { unzlibSync } from "fflate";

export function readPng(png: Uint8Array) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => png[i] === b)) throw new Error("not a PNG");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Array<{ type: string; data: Uint8Array }> = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    chunks.push({
      type: String.fromCharCode(...png.subarray(offset + 4, offset + 8)),
      data: png.subarray(offset + 8, offset + 8 + length),
    });
    offset += 12 + length;
  }
  const ihdr = chunks[0]!;
  if (ihdr.type !== "IHDR") throw new Error("IHDR is not the first chunk");
  const header = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
  const raw = unzlibSync(chunks.find((c) => c.type === "IDAT")!.data);
  return {
    chunkTypes: chunks.map((c) => c.type),
    width: header.getUint32(0),
    height: header.getUint32(4),
    bitDepth: ihdr.data[8],
    colorType: ihdr.data[9],
    rawLength: raw.length,
    firstPixel: [raw[1], raw[2], raw[3]],
  };
}
