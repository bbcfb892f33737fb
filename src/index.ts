export { CredentialGuard } from "./durable/credential-guard";

export default {
  async fetch() {
    return new Response("booting");
  },
} satisfies ExportedHandler;
