import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../src/app";
import { devChain } from "./fixtures/apple";

const app = buildApp();

async function errorWith(overrides: Record<string, unknown>) {
  const log = vi.spyOn(console, "error").mockImplementation(() => {});
  const res = await app.request("https://api.passlite.test/api/v1/openapi.json", {}, { ...env, ...overrides });
  expect(log).toHaveBeenCalledOnce();
  log.mockRestore();
  return { status: res.status, body: await res.json<{ error: { code: string; message: string } }>() };
}

describe("configuration", () => {
  it("is checked on the first request: a short JWT_SECRET is a 503 naming the variable", async () => {
    const { status, body } = await errorWith({ JWT_SECRET: "too-short" });
    expect(status).toBe(503);
    expect(body.error.code).toBe("service_unavailable");
    expect(body.error.message).toContain("JWT_SECRET must be at least 32 characters");
    expect(body.error.message).not.toContain("too-short");
  });

  it("names a certificate pasted without its PEM armour, and a malformed origin", async () => {
    const cert = devChain.passCert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "");
    const { status, body } = await errorWith({ APPLE_PASS_CERT: cert, API_ORIGIN: "api.example.com" });
    expect(status).toBe(503);
    expect(body.error.message).toContain("APPLE_PASS_CERT must be a PEM certificate");
    expect(body.error.message).toContain("API_ORIGIN must be an http(s) origin");
  });

  it("accepts PEM with literal \\n sequences, as secrets are often pasted", async () => {
    const res = await app.request(
      "https://api.passlite.test/api/v1/openapi.json",
      {},
      {
        ...env,
        APPLE_PASS_CERT: devChain.passCert.replace(/\n/g, "\\n"),
      },
    );
    expect(res.status).toBe(200);
  });

  it("wants a sender with an email provider key, and names a malformed one", async () => {
    const missing = await errorWith({ EMAIL_FROM: undefined });
    expect(missing.status).toBe(503);
    expect(missing.body.error.message).toContain("EMAIL_FROM must be set with EMAIL_API_KEY");
    const malformed = await errorWith({ EMAIL_FROM: "PassLite passes at example" });
    expect(malformed.body.error.message).toContain("EMAIL_FROM must be an address, or Name <address>");
    const fine = await app.request(
      "https://api.passlite.test/api/v1/openapi.json",
      {},
      { ...env, EMAIL_FROM: "Corner Café <hello@corner.example>" },
    );
    expect(fine.status).toBe(200);
  });
});
