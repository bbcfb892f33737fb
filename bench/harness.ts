import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type LocalWorker, startLocalWorker } from "../test/support/local-worker";

export const ADMIN_TOKEN = "bench-admin-token";
/** The bench Worker's barcode-signing secret: the scan bench signs its tickets' barcodes with it, as the wallets do. */
export const BARCODE_SECRET = "bench-barcode-secret";
const root = join(import.meta.dirname, "..");

export interface Result {
  name: string;
  unit: string;
  median: number;
  p99: number;
  n: number;
}

export function summarize(name: string, unit: string, samples: number[]): Result {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { name, unit, median: round(at(0.5)), p99: round(at(0.99)), n: sorted.length };
}

export function report(result: Result): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** A local `wrangler dev` of bench/worker.ts on a fresh, migrated D1, with `extraVars` on top. */
export function startBenchWorker(extraVars: Record<string, string> = {}): Promise<LocalWorker> {
  return startLocalWorker({
    entry: "bench/worker.ts",
    vars: {
      JWT_SECRET: "bench-jwt-secret-bench-jwt-secret-0123456789",
      ADMIN_TOKEN,
      // Local development, as far as the Worker can tell: webhooks may go to a receiver on 127.0.0.1.
      ENVIRONMENT: "development",
      RATE_LIMIT_PER_MINUTE: "100000000",
      DASHBOARD_RATE_LIMIT_PER_MINUTE: "100000000",
      BARCODE_SIGNING_SECRET: BARCODE_SECRET,
      ...benchWalletSecrets(),
      ...extraVars,
    },
  });
}

const fixture = (name: string) => readFileSync(join(root, "test", "fixtures", "apple", name), "utf8");

/** The committed development signing chain and throwaway Google and APNs keys: enough to build, sign and push for real. */
function benchWalletSecrets(): Record<string, string> {
  const keyEncoding = { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } } as const;
  const google = generateKeyPairSync("rsa", { modulusLength: 2048, ...keyEncoding });
  const apns = generateKeyPairSync("ec", { namedCurve: "P-256", ...keyEncoding });
  const oneLine = (pem: string) => pem.replace(/\n/g, "\\n");
  return {
    APPLE_PASS_TYPE_ID: "pass.dev.passlite.local",
    APPLE_TEAM_ID: "DEVTEAM000",
    APPLE_PASS_CERT: oneLine(fixture("pass-cert.pem")),
    APPLE_PASS_KEY: oneLine(fixture("pass-key.pem")),
    APPLE_WWDR_CERT: oneLine(fixture("wwdr.pem")),
    GOOGLE_ISSUER_ID: "3388000000012345678",
    GOOGLE_SERVICE_ACCOUNT_EMAIL: "bench@bench.iam.gserviceaccount.com",
    GOOGLE_PRIVATE_KEY: oneLine(google.privateKey),
    // Nothing listens on the discard port: Google syncs from the queue fail at once instead of
    // waiting on DNS for Google's real hosts, which this machine cannot reach.
    GOOGLE_TOKEN_URL: "http://127.0.0.1:9/token",
    GOOGLE_API_ORIGIN: "http://127.0.0.1:9",
    APNS_KEY_ID: "BENCHKEY01",
    APNS_TEAM_ID: "DEVTEAM000",
    APNS_PRIVATE_KEY: oneLine(apns.privateKey),
  };
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
