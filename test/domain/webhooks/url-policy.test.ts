import { describe, expect, it } from "vitest";
import { type Resolver, webhookUrlProblem } from "../../../src/domain/webhooks/url-policy";

const resolvesTo =
  (table: Record<string, string[]>): Resolver =>
  async (host) =>
    table[host] ?? [];
const production = (resolve: Resolver = resolvesTo({ "hooks.example.com": ["93.184.216.34"] })) => ({ allowLocalHttp: false, resolve });
const development = { allowLocalHttp: true, resolve: resolvesTo({}) };

describe("where webhooks may go", () => {
  it("accepts a public https host", async () => {
    expect(await webhookUrlProblem("https://hooks.example.com/passlite", production())).toBeNull();
    expect(await webhookUrlProblem("https://93.184.216.34/hook", production())).toBeNull();
    expect(await webhookUrlProblem("https://[2606:2800:220:1:248:1893:25c8:1946]/hook", production())).toBeNull();
  });

  it("refuses every non-public address, in every notation, in production", async () => {
    const refused = [
      "http://hooks.example.com/",
      "https://localhost/",
      "https://api.localhost/",
      "https://127.0.0.1/",
      "https://127.1.2.3/",
      "https://0.0.0.0/",
      "https://10.1.2.3/",
      "https://172.16.0.1/",
      "https://172.31.255.255/",
      "https://192.168.1.1/",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/",
      "https://100.127.255.255/",
      "https://[::1]/",
      "https://[::]/",
      "https://[fe80::1]/",
      "https://[fc00::1]/",
      "https://[fd12:3456::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://[::ffff:8.8.8.8]/",
      "https://2130706433/",
      "https://0x7f000001/",
      "https://0177.0.0.1/",
      "https://0x7f.1/",
      "https://127.1/",
      "https://user:secret@hooks.example.com/",
      "https://intranet/",
      "not a url",
    ];
    for (const url of refused) expect(await webhookUrlProblem(url, production()), url).not.toBeNull();
  });

  it("refuses a host that resolves to a private address, or does not resolve", async () => {
    const resolve = resolvesTo({ "internal.example.com": ["93.184.216.34", "10.0.0.5"], "v6.example.com": ["fd00::1"] });
    expect(await webhookUrlProblem("https://internal.example.com/", production(resolve))).toBe(
      "url's host internal.example.com resolves to a private (RFC 1918) address (10.0.0.5)",
    );
    expect(await webhookUrlProblem("https://v6.example.com/", production(resolve))).toContain("a unique-local address");
    expect(await webhookUrlProblem("https://nowhere.example.com/", production(resolve))).toBe(
      "url's host nowhere.example.com does not resolve",
    );
  });

  it("says why in words a merchant can act on", async () => {
    expect(await webhookUrlProblem("http://hooks.example.com/", production())).toBe("url must use https://");
    expect(await webhookUrlProblem("https://2130706433/", production())).toBe(
      "url's host 2130706433 is an IP address in an unusual notation; write a host name",
    );
    expect(await webhookUrlProblem("https://169.254.169.254/", production())).toBe("url's host is a link-local address");
  });

  it("allows http://localhost and http://127.0.0.1 only in development", async () => {
    expect(await webhookUrlProblem("http://localhost:8788/hook", development)).toBeNull();
    expect(await webhookUrlProblem("http://127.0.0.1:9000/hook", development)).toBeNull();
    expect(await webhookUrlProblem("http://10.0.0.1/hook", development)).toBe("url must use https:// (or http://localhost in development)");
    expect(await webhookUrlProblem("http://localhost:8788/hook", production())).toBe("url must use https://");
  });
});
