// Test images: made and read back with Photon (the library the Worker resizes with), so any
// PNG the Worker writes — several IDAT chunks, alpha — can be inspected.
import { PhotonImage } from "@cf-wasm/photon";
import { expect } from "vitest";
import { keyAuth, request } from "./api";

export type Rgba = [number, number, number, number];
export type Paint = (x: number, y: number, width: number, height: number) => Rgba;

const pixels = (width: number, height: number, paint: Paint) => {
  const raw = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(paint(x, y, width, height), (y * width + x) * 4);
  return raw;
};

function encoded(width: number, height: number, paint: Paint, encode: (image: PhotonImage) => Uint8Array) {
  const image = new PhotonImage(pixels(width, height, paint), width, height);
  try {
    return encode(image);
  } finally {
    image.free();
  }
}

export const solid =
  (r: number, g: number, b: number): Paint =>
  () => [r, g, b, 255];

/** A PNG of `width`×`height` painted pixel by pixel (solid grey by default). */
export const makePng = (width: number, height: number, paint: Paint = solid(90, 90, 90)) =>
  encoded(width, height, paint, (image) => image.get_bytes());

export const makeJpeg = (width: number, height: number, paint: Paint = solid(90, 90, 90)) =>
  encoded(width, height, paint, (image) => image.get_bytes_jpeg(90));

/** Width and height from the IHDR chunk, after checking the PNG signature. */
export function pngSize(png: Uint8Array | undefined): { width: number; height: number } {
  expect(png, "a PNG").toBeDefined();
  expect([...png!.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png!.buffer, png!.byteOffset, png!.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The RGBA value at (x, y), decoding the image. */
export function pixelAt(image: Uint8Array, x: number, y: number): Rgba {
  const decoded = PhotonImage.new_from_byteslice(image);
  try {
    const i = (y * decoded.get_width() + x) * 4;
    return [...decoded.get_raw_pixels().subarray(i, i + 4)] as Rgba;
  } finally {
    decoded.free();
  }
}

export const uploadImage = (businessId: string, key: string, templateId: string, slot: string, body: Uint8Array, type = "image/png") =>
  request(`/businesses/${businessId}/templates/${templateId}/images/${slot}`, {
    method: "PUT",
    headers: keyAuth(key, { "content-type": type }),
    body,
  });

/** Fetches a public asset URL and returns its bytes, checking it is served as a PNG. */
export async function fetchAsset(url: string): Promise<Uint8Array> {
  const res = await request(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/png");
  return new Uint8Array(await res.arrayBuffer());
}
