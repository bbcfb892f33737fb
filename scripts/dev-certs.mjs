#!/usr/bin/env node
// A DEVELOPMENT pass-signing chain (root CA → "WWDR" intermediate → Pass Type ID certificate)
// shaped like Apple's, so .pkpass signing can run end to end locally. None of it is Apple's:
// iPhones will not accept passes signed with it; `openssl smime -verify` with the root will.
//
//   node scripts/dev-certs.mjs                    print .dev.vars lines
//   node scripts/dev-certs.mjs --fixtures <dir>   write root-ca/wwdr/pass-cert/pass-key .pem files
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import forge from "node-forge";

export const DEV_PASS_TYPE_ID = "pass.dev.passlite.local";
export const DEV_TEAM_ID = "DEVTEAM000";
const ORGANIZATION = "PassLite DEVELOPMENT (not Apple)";
const UID_OID = "0.9.2342.19200300.100.1.1"; // Apple puts the pass type id in the subject's UID

function yearsFromNow(years) {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date;
}

function randomSerial() {
  // 16 random bytes with the top bit clear: a positive INTEGER.
  const bytes = forge.random.getBytesSync(16);
  return (String.fromCharCode(bytes.charCodeAt(0) & 0x7f) + bytes.slice(1))
    .split("")
    .map((c) => c.charCodeAt(0).toString(16).padStart(2, "0"))
    .join("");
}

function makeCertificate({ subject, publicKey, issuer, signingKey, years, extensions }) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000); // tolerate clock skew
  cert.validity.notAfter = yearsFromNow(years);
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.subject.attributes : subject);
  const authorityKeyId = (issuer ?? cert).generateSubjectKeyIdentifier().getBytes();
  cert.setExtensions([...extensions, { name: "subjectKeyIdentifier" }, { name: "authorityKeyIdentifier", keyIdentifier: authorityKeyId }]);
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

const rsa = () => forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 }); // uses Node's native keygen
const pem = (text) => text.replace(/\r\n/g, "\n");
const escapeNewlines = (text) => text.trim().replace(/\n/g, "\\n");

/** The chain as PEM files (real newlines). */
export function generateDevChain() {
  const rootKeys = rsa();
  const root = makeCertificate({
    subject: [
      { name: "commonName", value: "PassLite DEVELOPMENT Root CA (not Apple)" },
      { name: "organizationName", value: ORGANIZATION },
    ],
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    years: 20,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const wwdrKeys = rsa();
  const wwdr = makeCertificate({
    subject: [
      { name: "commonName", value: "PassLite DEVELOPMENT WWDR (not Apple)" },
      { name: "organizationalUnitName", value: "G4" },
      { name: "organizationName", value: ORGANIZATION },
    ],
    publicKey: wwdrKeys.publicKey,
    issuer: root,
    signingKey: rootKeys.privateKey,
    years: 20,
    extensions: [
      { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const passKeys = rsa();
  const pass = makeCertificate({
    subject: [
      { type: UID_OID, value: DEV_PASS_TYPE_ID, valueTagClass: forge.asn1.Type.UTF8 },
      { name: "commonName", value: `Pass Type ID: ${DEV_PASS_TYPE_ID}` },
      { name: "organizationalUnitName", value: DEV_TEAM_ID },
      { name: "organizationName", value: ORGANIZATION },
    ],
    publicKey: passKeys.publicKey,
    issuer: wwdr,
    signingKey: wwdrKeys.privateKey,
    years: 10,
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, critical: true },
    ],
  });
  const passKeyPkcs8 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(passKeys.privateKey));
  return {
    rootCaPem: pem(forge.pki.certificateToPem(root)),
    wwdrPem: pem(forge.pki.certificateToPem(wwdr)),
    passCertPem: pem(forge.pki.certificateToPem(pass)),
    passKeyPem: pem(forge.pki.privateKeyInfoToPem(passKeyPkcs8)),
  };
}

/**
 * The env values for `.dev.vars`, PEM newlines escaped as literal `\n` so each fits on one line.
 * With `dir`, also writes the root CA there (to verify passes with openssl).
 */
export async function generateDevCertificates(dir) {
  const chain = generateDevChain();
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "root-ca.pem"), chain.rootCaPem);
  }
  return {
    APPLE_PASS_CERT: escapeNewlines(chain.passCertPem),
    APPLE_PASS_KEY: escapeNewlines(chain.passKeyPem),
    APPLE_WWDR_CERT: escapeNewlines(chain.wwdrPem),
    APPLE_PASS_TYPE_ID: DEV_PASS_TYPE_ID,
    APPLE_TEAM_ID: DEV_TEAM_ID,
  };
}

/** Writes the chain as separate PEM files: the committed test fixtures come from here. */
export function writeDevChain(dir) {
  const chain = generateDevChain();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "root-ca.pem"), chain.rootCaPem);
  writeFileSync(join(dir, "wwdr.pem"), chain.wwdrPem);
  writeFileSync(join(dir, "pass-cert.pem"), chain.passCertPem);
  writeFileSync(join(dir, "pass-key.pem"), chain.passKeyPem);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fixtures = process.argv.indexOf("--fixtures");
  if (fixtures > 0) {
    const dir = process.argv[fixtures + 1];
    if (!dir) throw new Error("usage: node scripts/dev-certs.mjs --fixtures <dir>");
    writeDevChain(dir);
    console.log(`Wrote a DEVELOPMENT chain (not Apple's) to ${dir}`);
  } else {
    for (const [name, value] of Object.entries(await generateDevCertificates())) console.log(`${name}="${value}"`);
  }
}
