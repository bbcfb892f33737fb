import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { resendMailer } from "../../src/mail/resend";
import { program, recorded } from "../support/recorder";

const MAIL = { to: "someone@example.test", subject: "Hello", html: "<p>Hello</p>", text: "Hello" };

describe("the email transport", () => {
  it("posts Resend's shape and reads the message id", async () => {
    const base = `${env.RECORDER_ORIGIN}/transport-${crypto.randomUUID()}`;
    const path = `${new URL(base).pathname}/emails`;
    await program({ path, status: 200, body: { id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" } });
    const mailer = resendMailer({ url: base, key: "re_123456789", from: "Shop <shop@example.test>" });
    expect(await mailer.send(MAIL, "passlite-email/em_1")).toEqual({ ok: true, providerId: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" });
    const [sent] = await recorded(path);
    expect(sent).toMatchObject({ method: "POST", path });
    expect(sent!.headers).toMatchObject({
      authorization: "Bearer re_123456789",
      "content-type": "application/json",
      "idempotency-key": "passlite-email/em_1",
    });
    expect(JSON.parse(sent!.body)).toEqual({
      from: "Shop <shop@example.test>",
      to: [MAIL.to],
      subject: "Hello",
      html: MAIL.html,
      text: "Hello",
    });
  });

  it("tells a failure worth retrying from one that is not, and counts an already-sent key as sent", async () => {
    const base = `${env.RECORDER_ORIGIN}/transport-${crypto.randomUUID()}`;
    const path = `${new URL(base).pathname}/emails`;
    const mailer = resendMailer({ url: base, key: "re_123456789", from: "shop@example.test" });
    const answers: Array<[number, unknown, unknown]> = [
      [500, { name: "internal_server_error", message: "boom" }, { ok: false, retry: true }],
      [429, { name: "rate_limit_exceeded", message: "slow down" }, { ok: false, retry: true }],
      [409, { name: "concurrent_idempotent_requests", message: "in progress" }, { ok: false, retry: true }],
      [422, { name: "validation_error", message: "Invalid `to` field" }, { ok: false, retry: false }],
      [403, { name: "validation_error", message: "domain not verified" }, { ok: false, retry: false }],
      [409, { name: "invalid_idempotent_request", message: "already used" }, { ok: true, providerId: null }],
    ];
    for (const [status, body, expected] of answers) {
      await program({ path, status, body, times: 1 });
      const result = await mailer.send(MAIL, "passlite-email/em_2");
      expect(result, `${status}`).toMatchObject(expected as object);
      if (!result.ok) expect(result.error).toContain(String(status));
    }
    const lost = () => Promise.reject(new TypeError("Network connection lost."));
    const unreachable = resendMailer({ url: base, key: "re_123456789", from: "shop@example.test" }, lost);
    expect(await unreachable.send(MAIL, "k")).toMatchObject({ ok: false, retry: true, error: expect.stringContaining("unreachable") });
  });
});
