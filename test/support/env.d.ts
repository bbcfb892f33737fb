import type { D1Migration } from "cloudflare:test";
import type { Env as WorkerEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      DB_SHARD_1: D1Database;
      RECORDER_ORIGIN: string;
      APNS_STAND_IN_CONTROL: string;
      TEST_APPLE_ROOT_CA: string;
      TEST_ROTATED_PASS_CERT: string;
      TEST_ROTATED_PASS_KEY: string;
      TEST_ROTATED_WWDR_CERT: string;
      TEST_ROTATED_ROOT_CA: string;
      TEST_APNS_PUBLIC_KEY: string;
      TEST_GOOGLE_PUBLIC_KEY: string;
    }
  }
}
