import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createDatabase } from "../../src/db/client";
import { mailerFor } from "../../src/mail/mailer";
import { json, request, uniqueEmail } from "../support/api";

const control = () => createDatabase(env.DB);
const MAIL = { to: "someone@example.test", subject: "Hello", html: "<p>Hello</p>", text: "Hello" };

describe("the development outbox", () => {
  const app = buildApp();

  it("keeps mail (once per delivery) and shows it at GET /dev/outbox in development only", async () => {
    const config = loadConfig(env);
    const mailer = mailerFor({ ...config, EMAIL_API_KEY: undefined }, control())!;
    const to = uniqueEmail("outbox");
    const mail = { ...MAIL, to, subject: "Dev mail" };
    const key = `passlite-email/em_${crypto.randomUUID()}`;
    // It prints each mail too (npm run dev shows the link there): captured, and checked.
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect((await mailer.send(mail, key)).ok).toBe(true);
      expect((await mailer.send(mail, key)).ok).toBe(true);
      expect(log).toHaveBeenCalledWith(expect.stringContaining(`To: ${to}\nSubject: Dev mail\n\nHello`));
    } finally {
      log.mockRestore();
    }
    const res = await request(`https://api.passlite.test/dev/outbox?to=${encodeURIComponent(to.toUpperCase())}`);
    const outbox = await json<{ data: Array<Record<string, string>> }>(res, 200);
    expect(outbox.data).toEqual([
      { id: key, to, subject: "Dev mail", text: "Hello", html: "<p>Hello</p>", created_at: expect.any(String) },
    ]);

    const production = await app.request("https://api.passlite.test/dev/outbox", {}, { ...env, ENVIRONMENT: "production" });
    expect(production.status).toBe(404);
    expect((await production.json<{ error: { code: string } }>()).error.code).toBe("not_found");
  });
});
