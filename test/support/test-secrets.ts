/** The secrets every test Worker runs with, in workerd (vitest.config.ts) and under `wrangler dev` (node tests). */
export const TEST_SECRETS = {
  // Like local development: webhook receivers may be http://127.0.0.1 (the recorder).
  ENVIRONMENT: "development",
  JWT_SECRET: "test-jwt-secret-that-is-long-enough-for-hs256",
  ADMIN_TOKEN: "test-admin-token",
  BARCODE_SIGNING_SECRET: "test-barcode-signing-secret",
};
