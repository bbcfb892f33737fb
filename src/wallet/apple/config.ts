import type { Config } from "../../config";
import { ApiError } from "../../lib/errors";
import type { AppleIdentity } from "./build";
import { loadPassSigner, type PassSigner, PassSigningConfigError, passSignerConfigFromEnv } from "./certificates";

export interface AppleWallet {
  identity: AppleIdentity;
  signer: PassSigner;
}

/**
 * Wallet calls the web service only at an https webServiceURL: a production pass pointing at http
 * would never be updated, so it is not served (503 naming the setting, as for missing certificates).
 */
export function assertAppleWebService(config: Config): void {
  if (config.ENVIRONMENT === "production" && !config.API_ORIGIN.startsWith("https://")) {
    throw new ApiError(
      "service_unavailable",
      `Apple Wallet is not available: API_ORIGIN must be https in production (it is ${config.API_ORIGIN}); Wallet only calls an https webServiceURL`,
    );
  }
}

/**
 * The signer and identity for building passes. Missing or broken signing material is a
 * 503 configuration error naming what is missing — a pass is never served unsigned.
 */
export async function appleWallet(config: Config): Promise<AppleWallet> {
  assertAppleWebService(config);
  let signer: PassSigner;
  try {
    signer = await loadPassSigner(passSignerConfigFromEnv(config));
  } catch (error) {
    if (!(error instanceof PassSigningConfigError)) throw error;
    console.error(JSON.stringify({ level: "error", message: error.message }));
    throw new ApiError("service_unavailable", `Apple Wallet is not available: ${error.message}`);
  }
  const passTypeIdentifier = config.APPLE_PASS_TYPE_ID || signer.passTypeIdentifier;
  const teamIdentifier = config.APPLE_TEAM_ID || signer.teamIdentifier;
  if (!passTypeIdentifier || !teamIdentifier) {
    throw new ApiError("service_unavailable", "Apple Wallet is not available: APPLE_PASS_TYPE_ID and APPLE_TEAM_ID must be set");
  }
  return {
    signer,
    identity: {
      passTypeIdentifier,
      teamIdentifier,
      webServiceURL: `${config.API_ORIGIN}/api/v1/wallet/apple`,
      appOrigin: config.APP_ORIGIN,
      barcodeSecret: barcodeSecret(config),
      ...(config.APPLE_NFC_PUBLIC_KEY ? { nfcPublicKey: config.APPLE_NFC_PUBLIC_KEY } : {}),
    },
  };
}

export function barcodeSecret(config: Config): string {
  if (!config.BARCODE_SIGNING_SECRET) throw new ApiError("service_unavailable", "BARCODE_SIGNING_SECRET is not set");
  return config.BARCODE_SIGNING_SECRET;
}
