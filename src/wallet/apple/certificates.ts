// Apple pass-signing material, from env strings to a ready signer. Parsing certificates and
// importing the key cost milliseconds, so each distinct configuration is loaded once per isolate.
import forge from "node-forge";
import { sha256Hex } from "../../lib/crypto";
import { normalizePem } from "../../lib/pem";
import { sequence } from "./der";

export interface PassSignerConfig {
  /** APPLE_PASS_CERT: the Pass Type ID certificate, PEM. */
  certPem: string;
  /** APPLE_PASS_KEY: its RSA private key, PEM (PKCS#8 or PKCS#1, optionally encrypted). */
  keyPem: string;
  /** APPLE_PASS_KEY_PASSPHRASE: only for an encrypted key. */
  keyPassphrase?: string | undefined;
  /** APPLE_WWDR_CERT: Apple's WWDR intermediate that issued the pass certificate, PEM. */
  wwdrPem: string;
}

/** What signing a manifest needs, precomputed. Only ever made by `loadPassSigner`. */
export interface PassSigner {
  readonly privateKey: CryptoKey;
  /** The pass certificate and the WWDR certificate, DER, exactly as issued. */
  readonly certificateDer: Uint8Array;
  readonly wwdrCertificateDer: Uint8Array;
  /** DER IssuerAndSerialNumber naming the pass certificate (the SignerInfo's sid). */
  readonly issuerAndSerialNumber: Uint8Array;
  /** From the certificate subject (UID / OU); pass.json must use the same values. */
  readonly passTypeIdentifier: string | null;
  readonly teamIdentifier: string | null;
  readonly expiresAt: Date;
  /** SHA-256 of both certificates: a new certificate (renewed, or a new intermediate) means new package bytes. */
  readonly fingerprint: string;
}

/** Signing material is missing or unusable: a configuration problem, never a reason to ship an unsigned pass. */
export class PassSigningConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PassSigningConfigError";
  }
}

export interface AppleSigningEnv {
  APPLE_PASS_CERT?: string | undefined;
  APPLE_PASS_KEY?: string | undefined;
  APPLE_PASS_KEY_PASSPHRASE?: string | undefined;
  APPLE_WWDR_CERT?: string | undefined;
}

/** Reads the signing config from Worker env, naming every missing variable at once. */
export function passSignerConfigFromEnv(env: AppleSigningEnv): PassSignerConfig {
  const required = ["APPLE_PASS_CERT", "APPLE_PASS_KEY", "APPLE_WWDR_CERT"] as const;
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new PassSigningConfigError(`Apple pass signing is not configured: ${missing.join(", ")} missing`);
  return {
    certPem: env.APPLE_PASS_CERT!,
    keyPem: env.APPLE_PASS_KEY!,
    keyPassphrase: env.APPLE_PASS_KEY_PASSPHRASE || undefined,
    wwdrPem: env.APPLE_WWDR_CERT!,
  };
}

// The only module-level state: one signer per distinct configuration, per isolate.
const signers = new Map<string, Promise<PassSigner>>();

export function loadPassSigner(config: PassSignerConfig): Promise<PassSigner> {
  const cacheKey = JSON.stringify([config.certPem, config.keyPem, config.keyPassphrase ?? null, config.wwdrPem]);
  let signer = signers.get(cacheKey);
  if (!signer) {
    signer = createSigner(config);
    signers.set(cacheKey, signer);
    signer.catch(() => signers.delete(cacheKey)); // a fixed config may load next time
  }
  return signer;
}

const UID_OID = "0.9.2342.19200300.100.1.1";
const PRIVATE_KEY_TYPES = ["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"];

async function createSigner(config: PassSignerConfig): Promise<PassSigner> {
  const certBlock = pemBlock(config.certPem, "APPLE_PASS_CERT", ["CERTIFICATE"]);
  const wwdrBlock = pemBlock(config.wwdrPem, "APPLE_WWDR_CERT", ["CERTIFICATE"]);
  const keyBlock = pemBlock(config.keyPem, "APPLE_PASS_KEY", PRIVATE_KEY_TYPES);

  const certAsn1 = parseDer(certBlock.body, "APPLE_PASS_CERT");
  const wwdrAsn1 = parseDer(wwdrBlock.body, "APPLE_WWDR_CERT");
  let certificate: forge.pki.Certificate;
  try {
    certificate = forge.pki.certificateFromAsn1(certAsn1);
  } catch (error) {
    throw new PassSigningConfigError(`APPLE_PASS_CERT is not a usable RSA certificate: ${messageOf(error)}`);
  }
  const pass = tbsFields(certAsn1, "APPLE_PASS_CERT");
  const wwdr = tbsFields(wwdrAsn1, "APPLE_WWDR_CERT");
  // Wallet rejects a pass whose signature carries the wrong intermediate (e.g. WWDR G1 for a G4-issued certificate).
  if (pass.issuerDer !== wwdr.subjectDer) {
    throw new PassSigningConfigError(
      `APPLE_WWDR_CERT did not issue APPLE_PASS_CERT; the pass certificate's issuer is "${describeName(certificate.issuer)}"`,
    );
  }

  const pkcs8 = privateKeyPkcs8(keyBlock, config.keyPassphrase);
  assertKeyMatchesCertificate(pkcs8, certificate);
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("pkcs8", bytes(pkcs8), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  } catch (error) {
    throw new PassSigningConfigError(`APPLE_PASS_KEY could not be imported: ${messageOf(error)}`);
  }

  const field = (type: string) => certificate.subject.attributes.find((a) => a.type === type)?.value;
  const uid = field(UID_OID);
  const commonName = field(forge.pki.oids.commonName!);
  const teamId = field(forge.pki.oids.organizationalUnitName!);
  return Object.freeze({
    privateKey,
    certificateDer: bytes(certBlock.body),
    wwdrCertificateDer: bytes(wwdrBlock.body),
    issuerAndSerialNumber: sequence(bytes(pass.issuerDer), bytes(pass.serialDer)),
    passTypeIdentifier:
      typeof uid === "string"
        ? uid
        : typeof commonName === "string" && commonName.startsWith("Pass Type ID: ")
          ? commonName.slice(14)
          : null,
    teamIdentifier: typeof teamId === "string" ? teamId : null,
    expiresAt: certificate.validity.notAfter,
    fingerprint: await sha256Hex(bytes(certBlock.body + wwdrBlock.body)),
  });
}

function pemBlock(value: string, name: string, types: string[]): forge.pem.ObjectPEM {
  if (!value?.trim()) throw new PassSigningConfigError(`${name} is missing`);
  let blocks: forge.pem.ObjectPEM[];
  try {
    blocks = forge.pem.decode(normalizePem(value));
  } catch (error) {
    throw new PassSigningConfigError(`${name} is not valid PEM: ${messageOf(error)}`);
  }
  const block = blocks.find((b) => types.includes(b.type));
  if (!block) throw new PassSigningConfigError(`${name} has no ${types.join(" / ")} PEM block`);
  return block;
}

function parseDer(binary: string, name: string): forge.asn1.Asn1 {
  try {
    return forge.asn1.fromDer(binary);
  } catch (error) {
    throw new PassSigningConfigError(`${name} is not a valid DER certificate: ${messageOf(error)}`);
  }
}

/** Serial number, issuer and subject of a certificate, re-encoded from its own parse (byte-identical for DER input). */
function tbsFields(certAsn1: forge.asn1.Asn1, name: string) {
  const tbs = Array.isArray(certAsn1.value) ? certAsn1.value[0] : undefined;
  const fields = tbs && Array.isArray(tbs.value) ? tbs.value : [];
  // An explicit [0] version comes first in v3 certificates.
  const start = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const [serial, , issuer, , subject] = fields.slice(start);
  if (!serial || !issuer || !subject) throw new PassSigningConfigError(`${name} is not an X.509 certificate`);
  const der = (node: forge.asn1.Asn1) => forge.asn1.toDer(node).getBytes();
  return { serialDer: der(serial), issuerDer: der(issuer), subjectDer: der(subject) };
}

/** PKCS#8 PrivateKeyInfo DER (binary string), decrypting or re-wrapping with forge only when needed. */
function privateKeyPkcs8(block: forge.pem.ObjectPEM, passphrase: string | undefined): string {
  const encrypted = block.type === "ENCRYPTED PRIVATE KEY" || block.procType?.type === "ENCRYPTED";
  if (encrypted && !passphrase) throw new PassSigningConfigError("APPLE_PASS_KEY is encrypted but APPLE_PASS_KEY_PASSPHRASE is not set");
  try {
    if (block.type === "PRIVATE KEY") return block.body;
    if (block.type === "ENCRYPTED PRIVATE KEY") {
      const info = forge.pki.decryptPrivateKeyInfo(forge.asn1.fromDer(block.body), passphrase!) as forge.asn1.Asn1 | null;
      if (!info) throw new Error("wrong APPLE_PASS_KEY_PASSPHRASE?");
      return forge.asn1.toDer(info).getBytes();
    }
    // PKCS#1 "RSA PRIVATE KEY", with legacy OpenSSL Proc-Type encryption or none.
    const rsaAsn1 = encrypted ? decryptLegacyRsaKey(block, passphrase!) : forge.asn1.fromDer(block.body);
    return forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(rsaAsn1)).getBytes();
  } catch (error) {
    throw new PassSigningConfigError(`APPLE_PASS_KEY could not be read: ${messageOf(error)}`);
  }
}

function decryptLegacyRsaKey(block: forge.pem.ObjectPEM, passphrase: string): forge.asn1.Asn1 {
  const key = forge.pki.decryptRsaPrivateKey(forge.pem.encode(block), passphrase) as forge.pki.rsa.PrivateKey | null;
  if (!key) throw new Error("wrong APPLE_PASS_KEY_PASSPHRASE?");
  return forge.pki.privateKeyToAsn1(key);
}

// A key from another certificate still signs, and Wallet then silently refuses the pass: catch it here.
function assertKeyMatchesCertificate(pkcs8: string, certificate: forge.pki.Certificate): void {
  let modulus: forge.jsbn.BigInteger;
  try {
    modulus = (forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(pkcs8)) as forge.pki.rsa.PrivateKey).n;
  } catch (error) {
    throw new PassSigningConfigError(`APPLE_PASS_KEY is not an RSA private key: ${messageOf(error)}`);
  }
  if (!modulus.equals((certificate.publicKey as forge.pki.rsa.PublicKey).n)) {
    throw new PassSigningConfigError("APPLE_PASS_KEY does not belong to APPLE_PASS_CERT");
  }
}

function describeName(name: forge.pki.Certificate["issuer"]): string {
  return name.attributes.map((a) => `${a.shortName ?? a.type}=${String(a.value)}`).join(", ");
}

function bytes(binary: string): Uint8Array {
  return forge.util.binary.raw.decode(binary);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
