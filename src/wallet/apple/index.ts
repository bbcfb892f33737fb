// Apple Wallet .pkpass building and signing: a pure library (no routes, no database).
export { loadPassSigner, passSignerConfigFromEnv, PassSigningConfigError } from "./certificates";
export type { AppleSigningEnv, PassSigner, PassSignerConfig } from "./certificates";
export { signManifest } from "./signature";
export { buildPkpass } from "./pkpass";
export type { BuildPkpassOptions } from "./pkpass";
export { buildPassJson } from "./pass-json";
export type { ApplePassField, ApplePassInput, ApplePassStyle, BarcodeFormat, PassJson } from "./pass-json";
export { defaultIcons, solidColorPng } from "./default-icon";
export { formatRgbColor, parseHexColor, parseRgbColor } from "./colors";
export type { Rgb } from "./colors";
