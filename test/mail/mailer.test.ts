import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { createDatabase } from "../../src/db/client";
import { mailerFor } from "../../src/mail/mailer";
import { program, recorded } from "../support/recorder";

const control = () => createDatabase(env.DB);
const MAIL = { to: "someone@example.test", subject: "Hello", html: "<p>Hello</p>", text: "Hello" };

describe("mailerFor", () => {
  it("sends through the provider when EMAIL_API_KEY and EMAIL_FROM are set", async () => {
    const base = `${env.RECORDER_ORIGIN}/mailer-${crypto.randomUUID()}`;
    const path = `${new URL(base).pathname}/emails`;
    await program({ path, status: 200, body: { id: "re_msg_1" } });
    const config = { ...loadConfig(env), EMAIL_API_URL: base, EMAIL_API_KEY: "re_key", EMAIL_FROM: "shop@example.test" };
    expect(await mailerFor(config, control())!.send(MAIL, "k1")).toEqual({ ok: true, providerId: "re_msg_1" });
    expect(await recorded(path)).toHaveLength(1);
  });

  it("keeps mail in the development outbox without a provider, and has none in production: logs never carry sign-in links", async () => {
    const config = { ...loadConfig(env), EMAIL_API_KEY: undefined };
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const key = `passlite-email/em_${crypto.randomUUID()}`;
      expect(await mailerFor(config, control())!.send(MAIL, key)).toEqual({ ok: true, providerId: key });
      expect(log).toHaveBeenCalledWith(expect.stringContaining("To: someone@example.test"));
    } finally {
      log.mockRestore();
    }
    expect(mailerFor({ ...config, ENVIRONMENT: "production" }, control())).toBeNull();
  });
});
