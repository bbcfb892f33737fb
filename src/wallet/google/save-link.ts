import { SignJWT } from "jose";
import { importSigningKey } from "../signing-keys";
import type { GoogleObjectRef, GoogleObjectType } from "./classes-objects";

/** "Add to Google Wallet": a link carrying a service-account-signed JWT naming the object. */

export const SAVE_LINK_PREFIX = "https://pay.google.com/gp/v/save/";

export interface SaveLinkConfig {
  /** GOOGLE_SERVICE_ACCOUNT_EMAIL. */
  serviceAccountEmail: string;
  /** GOOGLE_PRIVATE_KEY: the service account's RSA PKCS#8 PEM; literal `\n` is accepted. */
  privateKeyPem: string;
  /** Web origins allowed to show the save button (only used by Google's JS button). */
  origins: string[];
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
}

const PAYLOAD_KEYS: Record<GoogleObjectType, string> = {
  loyaltyObject: "loyaltyObjects",
  giftCardObject: "giftCardObjects",
  eventTicketObject: "eventTicketObjects",
  offerObject: "offerObjects",
  genericObject: "genericObjects",
};

/**
 * `https://pay.google.com/gp/v/save/{jwt}`, naming an object the wallet queue has already made
 * through the REST API (id and class id, in the form Google's samples use). The link stays short
 * whatever the design — Google's limit is about 2,000 characters — and saving shows the object as
 * the REST API last wrote it.
 */
export async function createSaveLink(config: SaveLinkConfig, object: GoogleObjectRef): Promise<string> {
  const key = await importSigningKey(config.privateKeyPem, "RS256", "GOOGLE_PRIVATE_KEY");
  const iat = Math.floor((config.now ?? Date.now)() / 1000);
  const jwt = await new SignJWT({
    typ: "savetowallet",
    origins: config.origins,
    payload: { [PAYLOAD_KEYS[object.objectType]]: [{ id: object.id, classId: object.classId }] },
  })
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(config.serviceAccountEmail)
    .setAudience("google")
    .setIssuedAt(iat)
    .sign(key);
  return SAVE_LINK_PREFIX + jwt;
}
