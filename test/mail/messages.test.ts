import { describe, expect, it } from "vitest";
import type { CustomerPassView } from "../../src/domain/customer-access/passes";
import { magicLinkMail } from "../../src/mail/messages/magic-link";
import { passIssuedMail } from "../../src/mail/messages/pass-issued";

const LINK = "https://app.passlite.test/my-passes?token=eyJ.abc.def";

const pass: CustomerPassView = {
  id: "pass_1",
  serial_number: "PL-AAAAA-BBBBB-CCCCC",
  business_id: "biz_1",
  business_name: "Bean\nThere <b>& Co</b>",
  template_name: "Coffee card",
  title: "Coffee card",
  type: "loyalty",
  status: "active",
  stamps: 4,
  stamp_goal: 10,
  points: 0,
  balance: null,
  balance_formatted: null,
  currency: null,
  expires_at: null,
  colors: { background: "#1e40af", foreground: "#ffffff" },
  download_url: "https://api.passlite.test/pass/PL-AAAAA-BBBBB-CCCCC/tok",
  apple_wallet_url: "https://api.passlite.test/pass/PL-AAAAA-BBBBB-CCCCC/tok?format=pkpass",
  google_wallet_url: null,
};

describe("magicLinkMail", () => {
  it("carries the link as a button and written out, in HTML and text, says how long it works, and loads nothing", async () => {
    const mail = await magicLinkMail({ to: "jane@example.com", link: LINK });
    expect(mail).toMatchObject({ to: "jane@example.com", subject: "Your link to your passes" });
    expect(mail.html.startsWith("<!doctype html>")).toBe(true);
    expect(mail.html.match(new RegExp(`href="${LINK.replace(/[.?]/g, "\\$&")}"`, "g"))).toHaveLength(2);
    expect(mail.text).toContain(`\n${LINK}\n`);
    expect(mail.text).toContain("It works for 15 minutes.");
    expect(mail.html).not.toMatch(/<img|<script|src=/i);
  });
});

describe("passIssuedMail", () => {
  const input = { to: "jane@example.com", customerName: "Jane", pass, myPassesUrl: "https://app.passlite.test/my-passes" };

  it("names the business on one line in the subject and escapes it in the HTML", async () => {
    const mail = await passIssuedMail(input);
    expect(mail.subject).toBe("Your card from Bean There <b>& Co</b>");
    expect(mail.html).toContain("Bean There &lt;b&gt;&amp; Co&lt;/b&gt;");
    expect(mail.html).not.toContain("<b>&");
    expect(mail.html).toContain("background:#1e40af;color:#ffffff");
  });

  it("offers Google Wallet only when there is a save link, and shows the card's values", async () => {
    const appleOnly = await passIssuedMail(input);
    expect(appleOnly.html).toContain(`href="${pass.apple_wallet_url}"`);
    expect(appleOnly.html).not.toContain("Add to Google Wallet");
    expect(appleOnly.text).not.toContain("Add to Google Wallet");
    expect(appleOnly.text).toContain("Stamps: 4 of 10");
    expect(appleOnly.text).toContain("Hi Jane,");

    const both = await passIssuedMail({
      ...input,
      customerName: null,
      pass: { ...pass, google_wallet_url: "https://pay.google.com/gp/v/save/eyJ" },
    });
    expect(both.html).toContain('href="https://pay.google.com/gp/v/save/eyJ"');
    expect(both.text).toContain("Add to Google Wallet: https://pay.google.com/gp/v/save/eyJ");
    expect(both.text.startsWith("Hello,")).toBe(true);
  });
});
