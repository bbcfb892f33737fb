import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import type { AppleIdentity } from "./build";
import { loadPassSigner, type PassSigner, PassSigningConfigError, passSignerConfigFromEnv } from "./certificates";

export interface AppleWallet {
  identity: AppleIdentity;
  signer: PassSigner;
}

/**
 * The signer and identity for building passes. Missing or broken signing material is a
 * 503 configuration error naming what is missing — a pass is never served unsigned.
 */
export async function appleWallet(env: Env): Promise<AppleWallet> {
  let signer: PassSigner;
  try {
    signer = await loadPassSigner(passSignerConfigFromEnv(env));
  } catch (error) {
    if (!(error instanceof PassSigningConfigError)) throw error;
    console.error(JSON.stringify({ level: "error", message: error.message }));
    throw new ApiError("service_unavailable", `Apple Wallet is not available: ${error.message}`);
  }
  const passTypeIdentifier = env.APPLE_PASS_TYPE_ID || signer.passTypeIdentifier;
  const teamIdentifier = env.APPLE_TEAM_ID || signer.teamIdentifier;
  if (!passTypeIdentifier || !teamIdentifier) {
    throw new ApiError("service_unavailable", "Apple Wallet is not available: APPLE_PASS_TYPE_ID and APPLE_TEAM_ID must be set");
  }
  return {
    signer,
    identity: {
      passTypeIdentifier,
      teamIdentifier,
      webServiceURL: `${env.API_ORIGIN}/api/v1/wallet/apple`,
      appOrigin: env.APP_ORIGIN,
      barcodeSecret: barcodeSecret(env),
      ...(env.APPLE_NFC_PUBLIC_KEY ? { nfcPublicKey: env.APPLE_NFC_PUBLIC_KEY } : {}),
    },
  };
}

export function barcodeSecret(env: Env): string {
  if (!env.BARCODE_SIGNING_SECRET) throw new ApiError("service_unavailable", "BARCODE_SIGNING_SECRET is not set");
  return env.BARCODE_SIGNING_SECRET;
}
