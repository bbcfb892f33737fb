// Resizing with Photon (Rust's `image` crate compiled to WebAssembly; @cf-wasm/photon loads it in
// workerd). Every PhotonImage lives in WebAssembly memory until freed, so each is freed here.
import { crop, PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon";

/**
 * `contain`: the whole image, scaled to fit inside the frame (one side may be shorter).
 * `cover`: scaled to cover the frame, centred, the overflow cropped: exactly the frame's size.
 * `square-logo`: a transparent square of the frame's width with the image contained in its
 * middle `inset` (a fraction of the side), for logos that are masked to a circle.
 */
export type Frame = { fit: "contain" | "cover"; width: number; height: number } | { fit: "square-logo"; width: number; inset: number };

export interface Size {
  width: number;
  height: number;
}

const FILTER = SamplingFilter.Lanczos3;

/** Decodes a PNG or JPEG; null when the bytes do not decode. */
export function decodeImage(bytes: Uint8Array): PhotonImage | null {
  try {
    return PhotonImage.new_from_byteslice(bytes);
  } catch {
    // Photon traps on undecodable input ("unreachable"); the caller reports it as a bad upload.
    return null;
  }
}

const sizeOf = (image: PhotonImage): Size => ({ width: image.get_width(), height: image.get_height() });

/** The size `source` has once fitted into a box of `width`×`height`, never rounding a side to 0. */
export function containedSize(source: Size, width: number, height: number): Size {
  const scale = Math.min(width / source.width, height / source.height);
  return {
    width: Math.max(1, Math.min(width, Math.round(source.width * scale))),
    height: Math.max(1, Math.min(height, Math.round(source.height * scale))),
  };
}

function contain(source: PhotonImage, width: number, height: number): PhotonImage {
  const size = containedSize(sizeOf(source), width, height);
  return resize(source, size.width, size.height, FILTER);
}

function cover(source: PhotonImage, width: number, height: number): PhotonImage {
  const { width: w, height: h } = sizeOf(source);
  const scale = Math.max(width / w, height / h);
  const cropWidth = Math.min(w, Math.round(width / scale));
  const cropHeight = Math.min(h, Math.round(height / scale));
  const left = Math.floor((w - cropWidth) / 2);
  const top = Math.floor((h - cropHeight) / 2);
  const cropped = crop(source, left, top, left + cropWidth, top + cropHeight);
  try {
    return resize(cropped, width, height, FILTER);
  } finally {
    cropped.free();
  }
}

function squareLogo(source: PhotonImage, side: number, inset: number): PhotonImage {
  const inner = Math.round(side * inset);
  const logo = contain(source, inner, inner);
  try {
    const { width, height } = sizeOf(logo);
    const pixels = logo.get_raw_pixels();
    const canvas = new Uint8Array(side * side * 4); // transparent: the card's colour shows through
    const left = Math.floor((side - width) / 2);
    const top = Math.floor((side - height) / 2);
    for (let y = 0; y < height; y++) {
      canvas.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), ((top + y) * side + left) * 4);
    }
    return new PhotonImage(canvas, side, side);
  } finally {
    logo.free();
  }
}

/** A new image: `source` fitted to `frame`. */
export function fitImage(source: PhotonImage, frame: Frame): PhotonImage {
  switch (frame.fit) {
    case "contain":
      return contain(source, frame.width, frame.height);
    case "cover":
      return cover(source, frame.width, frame.height);
    case "square-logo":
      return squareLogo(source, frame.width, frame.inset);
  }
}

/** PNG bytes of `image` (RGBA, 8 bits per channel). */
export const encodePng = (image: PhotonImage): Uint8Array => image.get_bytes();
