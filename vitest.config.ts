import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { generateDevChain } from "./scripts/dev-certs.mjs";
import { TEST_SECRETS } from "./test/support/test-secrets.ts";

const fixture = (name: string) => readFileSync(new URL(`./test/fixtures/apple/${name}`, import.meta.url), "utf8");

// Throwaway keys for the services the tests stand in for. The public halves travel to the
// tests as bindings so they can verify what the Worker signed.
const encoding = { publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } } as const;
const apnsKey = generateKeyPairSync("ec", { namedCurve: "P-256", ...encoding });
const googleKey = generateKeyPairSync("rsa", { modulusLength: 2048, ...encoding });
// A second development chain: what a deployment's renewed or replaced signing certificate looks like.
const rotatedChain = generateDevChain();

/** Tests that run in Node, not workerd: real browsers and the Node services beside the Worker. */
const NODE_TESTS = ["test/**/*.browser.test.ts", "test/**/*.node.test.ts", "test/relay/**/*.test.ts"];

export default defineConfig({
  resolve: {
    // passkit-generator publishes its pass.json schemas (Joi) without exporting them: the tests check every pass.json against them.
    alias: {
      "passkit-generator/schemas": fileURLToPath(new URL("./node_modules/passkit-generator/lib/esm/schemas/index.js", import.meta.url)),
    },
  },
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    globalSetup: ["./test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const recorderOrigin = inject<string>("recorderOrigin");
            // Pushes go Worker → relay (Node, HTTP/1.1) → APNs stand-in (HTTP/2), as in production.
            const apnsRelayUrl = inject<string>("apnsRelayUrl");
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                  RECORDER_ORIGIN: recorderOrigin,
                  ...TEST_SECRETS,
                  APP_ORIGIN: "https://app.passlite.test",
                  API_ORIGIN: "https://api.passlite.test",
                  APPLE_PASS_TYPE_ID: "pass.dev.passlite.local",
                  APPLE_TEAM_ID: "DEVTEAM000",
                  APPLE_PASS_CERT: fixture("pass-cert.pem"),
                  APPLE_PASS_KEY: fixture("pass-key.pem"),
                  APPLE_WWDR_CERT: fixture("wwdr.pem"),
                  TEST_APPLE_ROOT_CA: fixture("root-ca.pem"),
                  TEST_ROTATED_PASS_CERT: rotatedChain.passCertPem,
                  TEST_ROTATED_PASS_KEY: rotatedChain.passKeyPem,
                  TEST_ROTATED_WWDR_CERT: rotatedChain.wwdrPem,
                  TEST_ROTATED_ROOT_CA: rotatedChain.rootCaPem,
                  APNS_ORIGIN: recorderOrigin,
                  APNS_RELAY_URL: apnsRelayUrl,
                  APNS_RELAY_SECRET: inject<string>("apnsRelaySecret"),
                  APNS_STAND_IN_CONTROL: inject<string>("apnsStandInControl"),
                  APNS_KEY_ID: "TESTKEY123",
                  APNS_TEAM_ID: "DEVTEAM000",
                  APNS_PRIVATE_KEY: apnsKey.privateKey,
                  TEST_APNS_PUBLIC_KEY: apnsKey.publicKey,
                  GOOGLE_ISSUER_ID: "3388000000012345678",
                  GOOGLE_SERVICE_ACCOUNT_EMAIL: "passlite@test-project.iam.gserviceaccount.com",
                  GOOGLE_PRIVATE_KEY: googleKey.privateKey,
                  TEST_GOOGLE_PUBLIC_KEY: googleKey.publicKey,
                  GOOGLE_API_ORIGIN: recorderOrigin,
                  GOOGLE_TOKEN_URL: `${recorderOrigin}/oauth2/token`,
                  GOOGLE_CALLBACK_ROOT_KEYS_URL: `${recorderOrigin}/google/root-keys`,
                  DNS_RESOLVER_URL: `${recorderOrigin}/dns-query`,
                  // Webhook retries a second apart, so a test sees the whole schedule.
                  WEBHOOK_RETRY_SCHEDULE: "1,1,1",
                  // Mail goes to the recorder in Resend's shape (POST /resend/emails); retries a second apart.
                  EMAIL_API_URL: `${recorderOrigin}/resend`,
                  EMAIL_API_KEY: "re_test_recorder_key",
                  EMAIL_FROM: "PassLite <passes@passlite.test>",
                  EMAIL_RETRY_SCHEDULE: "1,1,1",
                },
              },
            };
          }),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/support/apns-global-setup.ts"],
          setupFiles: ["./test/support/apply-migrations.ts"],
          include: ["test/**/*.test.ts"],
          exclude: NODE_TESTS,
        },
      },
      {
        extends: true,
        test: { name: "node", environment: "node", include: NODE_TESTS, passWithNoTests: true },
      },
    ],
  },
});
