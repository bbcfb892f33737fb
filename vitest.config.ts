import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => {
      const recorderOrigin = inject<string>("recorderOrigin");
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations("./migrations"),
            RECORDER_ORIGIN: recorderOrigin,
            ENVIRONMENT: "test",
            JWT_SECRET: "test-jwt-secret-that-is-long-enough-for-hs256",
            ADMIN_TOKEN: "test-admin-token",
            APP_ORIGIN: "https://app.passlite.test",
            API_ORIGIN: "https://api.passlite.test",
          },
        },
      };
    }),
  ],
  test: {
    globalSetup: ["./test/support/global-setup.ts"],
    setupFiles: ["./test/support/apply-migrations.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
