import { buildApp } from "./app";
import type { Env } from "./env";

export { CredentialGuard } from "./durable/credential-guard";

const app = buildApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
