#!/usr/bin/env node
// Checks a .pkpass outside Workers: every manifest.json SHA-1 matches its file, and OpenSSL
// accepts the detached signature over manifest.json, chained to the given root CA.
//
//   node scripts/verify-pkpass.mjs <pass.pkpass> <root-ca.pem>
// (root-ca.pem: .dev-certs/root-ca.pem for development passes; Apple's root for real ones)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { unzipSync } from "fflate";

const [pkpassPath, rootCaPath] = process.argv.slice(2);
if (!pkpassPath || !rootCaPath) {
  console.error("usage: node scripts/verify-pkpass.mjs <pass.pkpass> <root-ca.pem>");
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), "pkpass-"));
try {
  const entries = unzipSync(readFileSync(pkpassPath));
  for (const [name, content] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  console.log(`files: ${Object.keys(entries).sort().join(", ")}`);

  const manifest = JSON.parse(Buffer.from(entries["manifest.json"] ?? "{}").toString("utf8"));
  const expected = Object.keys(entries).filter((n) => n !== "manifest.json" && n !== "signature" && !n.endsWith("/"));
  const problems = expected.filter((n) => manifest[n] !== createHash("sha1").update(entries[n]).digest("hex"));
  problems.push(
    ...Object.keys(manifest)
      .filter((n) => !entries[n])
      .map((n) => `${n} (listed, not in archive)`),
  );
  console.log(problems.length === 0 ? `manifest: ${expected.length} SHA-1 hashes match` : `manifest MISMATCH: ${problems.join(", ")}`);

  const args = [
    "smime",
    "-verify",
    "-inform",
    "DER",
    "-binary",
    "-in",
    join(dir, "signature"),
    "-content",
    join(dir, "manifest.json"),
    "-CAfile",
    resolve(rootCaPath),
    "-purpose",
    "any",
    "-out",
    "/dev/null",
  ];
  console.log(`$ openssl ${args.join(" ")}`);
  const openssl = spawnSync("openssl", args, { encoding: "utf8" });
  process.stdout.write(openssl.stdout + openssl.stderr);
  process.exit(problems.length === 0 && openssl.status === 0 ? 0 : 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
