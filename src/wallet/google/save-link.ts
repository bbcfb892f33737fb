import { SignJWT } from "jose";
import { importSigningKey } from "../signing-keys";
import type { GoogleClassType, GoogleObjectType, GoogleResources } from "./classes-objects";

/** "Add to Google Wallet": a link carrying a service-account-signed JWT with the class and object. */

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

const PLURAL: Record<GoogleClassType | GoogleObjectType, string> = {
  loyaltyClass: "loyaltyClasses",
  giftCardClass: "giftCardClasses",
  eventTicketClass: "eventTicketClasses",
  genericClass: "genericClasses",
  loyaltyObject: "loyaltyObjects",
  giftCardObject: "giftCardObjects",
  eventTicketObject: "eventTicketObjects",
  genericObject: "genericObjects",
};

/** The JWT payload key for a resource type: `loyaltyClass` → `loyaltyClasses`. */
export const payloadKey = (type: GoogleClassType | GoogleObjectType) => PLURAL[type];

/**
 * `https://pay.google.com/gp/v/save/{jwt}`. Saving creates the class and object when they do not
 * exist yet (an existing object is not updated by a save: use the REST client for that).
 */
export async function createSaveLink(config: SaveLinkConfig, resources: GoogleResources): Promise<string> {
  const key = await importSigningKey(config.privateKeyPem, "RS256", "GOOGLE_PRIVATE_KEY");
  const iat = Math.floor((config.now ?? Date.now)() / 1000);
  const jwt = await new SignJWT({
    typ: "savetowallet",
    origins: config.origins,
    payload: {
      [payloadKey(resources.classType)]: [resources.classResource],
      [payloadKey(resources.objectType)]: [resources.objectResource],
    },
  })
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(config.serviceAccountEmail)
    .setAudience("google")
    .setIssuedAt(iat)
    .sign(key);
  return SAVE_LINK_PREFIX + jwt;
}
