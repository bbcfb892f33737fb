// Apple Wallet .pkpass building and signing: a pure library (no routes, no database).

export type { AppleSigningEnv, PassSigner, PassSignerConfig } from "./certificates";
export { loadPassSigner, PassSigningConfigError, passSignerConfigFromEnv } from "./certificates";
export type { Rgb } from "./colors";
export { formatRgbColor, parseHexColor, parseRgbColor } from "./colors";
export { defaultIcons, solidColorPng } from "./default-icon";
export type { ApplePassField, ApplePassInput, ApplePassStyle, PassJson } from "./pass-json";
export { buildPassJson } from "./pass-json";
export type { BuildPkpassOptions } from "./pkpass";
export { buildPkpass } from "./pkpass";
export { signManifest } from "./signature";
