// The .pkpass `signature` file: a detached PKCS#7 SignedData over manifest.json, laid out as
// Wallet (and passkit-generator/forge) expect. The RSA operation runs in WebCrypto — native code —
// instead of forge's JavaScript RSA, which is what made per-pass signing slow.
import type { PassSigner } from "./certificates";
import { integer, nullValue, octetString, oid, sequence, setOf, TAG, time, tlv } from "./der";

const OID = {
  signedData: oid("1.2.840.113549.1.7.2"),
  data: oid("1.2.840.113549.1.7.1"),
  sha256: oid("2.16.840.1.101.3.4.2.1"),
  rsaEncryption: oid("1.2.840.113549.1.1.1"),
  contentType: oid("1.2.840.113549.1.9.3"),
  messageDigest: oid("1.2.840.113549.1.9.4"),
  signingTime: oid("1.2.840.113549.1.9.5"),
};

const attribute = (type: Uint8Array, value: Uint8Array) => sequence(type, tlv(TAG.SET, value));

/** DER ContentInfo(SignedData) with no encapsulated content; `signingTime` is whole seconds, UTC. */
export async function signManifest(manifest: Uint8Array, signer: PassSigner, signingTime: Date = new Date()): Promise<Uint8Array> {
  if (Number.isNaN(signingTime.getTime())) throw new RangeError("signingTime is not a valid date");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", manifest));
  const signedAttributes = setOf(TAG.SET, [
    attribute(OID.contentType, OID.data),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, octetString(digest)),
  ]);
  // RFC 5652 5.4: the signature covers the attributes encoded as a SET OF (tag 0x31) …
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", signer.privateKey, signedAttributes));
  // … while SignerInfo carries the same bytes under the [0] IMPLICIT tag.
  const taggedAttributes = signedAttributes.slice();
  taggedAttributes[0] = TAG.CONTEXT_0;

  const sha256Algorithm = sequence(OID.sha256, nullValue());
  const signerInfo = sequence(
    integer(1),
    signer.issuerAndSerialNumber,
    sha256Algorithm,
    taggedAttributes,
    sequence(OID.rsaEncryption, nullValue()),
    octetString(signature),
  );
  const signedData = sequence(
    integer(1),
    tlv(TAG.SET, sha256Algorithm),
    sequence(OID.data), // detached: content type only
    tlv(TAG.CONTEXT_0, signer.certificateDer, signer.wwdrCertificateDer),
    tlv(TAG.SET, signerInfo),
  );
  return sequence(OID.signedData, tlv(TAG.CONTEXT_0, signedData));
}
