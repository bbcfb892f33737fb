// An independent check of a .pkpass signature with node-forge (no code shared with the signer).
import forge from "node-forge";

const raw = (bytes: Uint8Array) => forge.util.binary.raw.encode(bytes);
const { Class, Type } = forge.asn1;

export interface SignatureReport {
  certificates: forge.pki.Certificate[];
  attributes: Map<string, forge.asn1.Asn1>;
  signingTime: Date;
  messageDigestHex: string;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  /** The RSA signature over the DER SET OF signed attributes verifies with the first certificate. */
  signatureValid: boolean;
}

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Error("expected a constructed ASN.1 value");
  return node.value;
}

export function inspectSignature(signatureDer: Uint8Array): SignatureReport {
  const contentInfo = forge.asn1.fromDer(raw(signatureDer));
  const message = forge.pkcs7.messageFromAsn1(contentInfo) as forge.pkcs7.PkcsSignedData & { rawCapture: Record<string, unknown> };
  if (forge.asn1.derToOid(children(contentInfo)[0]!.value as string) !== forge.pki.oids.signedData) throw new Error("not SignedData");
  if (message.rawCapture.content !== undefined) throw new Error("signature is not detached");

  const signerInfos = message.rawCapture.signerInfos as forge.asn1.Asn1[];
  if (signerInfos.length !== 1) throw new Error(`expected one SignerInfo, got ${signerInfos.length}`);
  const [, , digestAlgorithm, signedAttrs, signatureAlgorithm, signature] = children(signerInfos[0]);
  if (signedAttrs?.tagClass !== Class.CONTEXT_SPECIFIC || signedAttrs.type !== 0) throw new Error("no signed attributes");

  const attributes = new Map<string, forge.asn1.Asn1>();
  for (const attribute of children(signedAttrs)) {
    const [type, values] = children(attribute);
    attributes.set(forge.asn1.derToOid(type!.value as string), children(values)[0]!);
  }
  const signingTimeNode = attributes.get(forge.pki.oids.signingTime!)!;
  const messageDigest = attributes.get(forge.pki.oids.messageDigest!)!;

  // What was signed: the attributes re-tagged as a universal SET OF.
  const attrsSet = forge.asn1.create(Class.UNIVERSAL, Type.SET, true, children(signedAttrs));
  const md = forge.md.sha256.create().update(forge.asn1.toDer(attrsSet).getBytes());
  const publicKey = message.certificates[0]!.publicKey as forge.pki.rsa.PublicKey;
  let signatureValid = false;
  try {
    signatureValid = publicKey.verify(md.digest().getBytes(), signature!.value as string);
  } catch {
    signatureValid = false;
  }

  return {
    certificates: message.certificates,
    attributes,
    signingTime:
      signingTimeNode.type === Type.UTCTIME
        ? forge.asn1.utcTimeToDate(signingTimeNode.value as string)
        : forge.asn1.generalizedTimeToDate(signingTimeNode.value as string),
    messageDigestHex: forge.util.bytesToHex(messageDigest.value as string),
    digestAlgorithm: forge.asn1.derToOid(children(digestAlgorithm)[0]!.value as string),
    signatureAlgorithm: forge.asn1.derToOid(children(signatureAlgorithm)[0]!.value as string),
    signatureValid,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return forge.md.sha256.create().update(raw(bytes)).digest().toHex();
}

export function sha1Hex(bytes: Uint8Array): string {
  return forge.md.sha1.create().update(raw(bytes)).digest().toHex();
}

/** Throws unless certificates[0] chains through the rest to `rootPem`. */
export function verifyChain(certificates: forge.pki.Certificate[], rootPem: string): true {
  const caStore = forge.pki.createCaStore([rootPem]);
  return forge.pki.verifyCertificateChain(caStore, certificates) as true;
}

/**
 * Checks a detached signature the way a verifier does: the signed digest must be the content's,
 * the RSA signature must verify, and the signer must chain to `rootPem`. Returns what failed.
 */
export function verifyDetached(signatureDer: Uint8Array, content: Uint8Array, rootPem: string): string[] {
  const problems: string[] = [];
  let report: SignatureReport;
  try {
    report = inspectSignature(signatureDer);
  } catch (error) {
    return [`signature unreadable: ${(error as Error).message}`];
  }
  if (report.messageDigestHex !== sha256Hex(content)) problems.push("signed digest does not match the content");
  if (!report.signatureValid) problems.push("signature does not verify");
  try {
    verifyChain(report.certificates, rootPem);
  } catch {
    problems.push("signer does not chain to the root");
  }
  return problems;
}

/**
 * Checks an unzipped .pkpass as Wallet does: every file but manifest.json and signature is listed
 * in the manifest with its SHA-1, nothing listed is missing, and the signature covers the manifest.
 */
export function verifyPkpass(entries: Record<string, Uint8Array>, rootPem: string): string[] {
  const { "manifest.json": manifestBytes, signature, ...files } = entries;
  if (!manifestBytes || !signature) return ["manifest.json or signature missing"];
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Record<string, string>;
  const problems: string[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    if (!(name in manifest)) problems.push(`${name} is not in the manifest`);
    else if (manifest[name] !== sha1Hex(bytes)) problems.push(`${name} does not match its manifest hash`);
  }
  for (const name of Object.keys(manifest)) if (!(name in files)) problems.push(`${name} is listed but missing`);
  return [...problems, ...verifyDetached(signature, manifestBytes, rootPem)];
}
