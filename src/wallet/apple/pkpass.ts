// Assembles a .pkpass: the pass files, manifest.json (SHA-1 of each), its detached signature, zipped.
import { type Zippable, zipSync } from "fflate";
import { toHex } from "../../lib/encoding";
import type { PassSigner } from "./certificates";
import { parseRgbColor, type Rgb } from "./colors";
import { DEFAULT_ICON_COLOR, defaultIcons } from "./default-icon";
import { signManifest } from "./signature";

export interface BuildPkpassOptions {
  /** CMS signingTime and zip timestamps; defaults to now. */
  signingTime?: Date;
  /** Colour of the generated icon when `files` has no icon.png; defaults to pass.json's backgroundColor. */
  defaultIconColor?: Rgb;
}

const RESERVED = new Set(["manifest.json", "signature"]);

/**
 * `files` maps archive paths ("pass.json", "logo@2x.png", "en.lproj/pass.strings") to contents;
 * pass.json is required, manifest.json and signature are added here.
 */
export async function buildPkpass(
  files: Record<string, Uint8Array>,
  signer: PassSigner,
  options: BuildPkpassOptions = {},
): Promise<Uint8Array> {
  const passJson = files["pass.json"];
  if (!passJson) throw new TypeError("buildPkpass: files must include pass.json");
  for (const name of Object.keys(files)) {
    if (RESERVED.has(name)) throw new TypeError(`buildPkpass: ${name} is generated, do not pass it in`);
    if (!/^[^/\\]+(\/[^/\\]+)*$/.test(name) || name.split("/").some((part) => part === "." || part === "..")) {
      throw new TypeError(`buildPkpass: invalid file name ${JSON.stringify(name)}`);
    }
  }

  const contents: Record<string, Uint8Array> = { ...files };
  if (!contents["icon.png"]) {
    const icons = defaultIcons(options.defaultIconColor ?? backgroundColorOf(passJson) ?? DEFAULT_ICON_COLOR);
    contents["icon.png"] = icons["icon.png"];
    contents["icon@2x.png"] ??= icons["icon@2x.png"];
    contents["icon@3x.png"] ??= icons["icon@3x.png"];
  }

  const names = Object.keys(contents).sort();
  const hashes = await Promise.all(names.map((name) => crypto.subtle.digest("SHA-1", contents[name]!)));
  const manifest: Record<string, string> = {};
  names.forEach((name, i) => {
    manifest[name] = toHex(hashes[i]!);
  });
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));

  const signingTime = options.signingTime ?? new Date();
  const signature = await signManifest(manifestBytes, signer, signingTime);

  const zippable: Zippable = {};
  const entry = (data: Uint8Array, name: string): Zippable[string] => [data, { level: name.endsWith(".png") ? 0 : 6, mtime: signingTime }];
  for (const name of names) zippable[name] = entry(contents[name]!, name);
  zippable["manifest.json"] = entry(manifestBytes, "manifest.json");
  zippable.signature = [signature, { level: 0, mtime: signingTime }];
  return zipSync(zippable);
}

function backgroundColorOf(passJson: Uint8Array): Rgb | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(passJson));
    const color = (parsed as { backgroundColor?: unknown } | null)?.backgroundColor;
    return typeof color === "string" ? parseRgbColor(color) : null;
  } catch {
    throw new TypeError("buildPkpass: pass.json is not valid JSON");
  }
}
