/** The secrets every test Worker runs with, in workerd (vitest.config.ts) and under `wrangler dev` (node tests). */
export const TEST_SECRETS = {
  ENVIRONMENT: "test",
  JWT_SECRET: "test-jwt-secret-that-is-long-enough-for-hs256",
  ADMIN_TOKEN: "test-admin-token",
  BARCODE_SIGNING_SECRET: "test-barcode-signing-secret",
};
