import { describe, expect, it } from "vitest";
import { magicLinkMail } from "../../src/mail/messages/magic-link";
import { passIssuedMail } from "../../src/mail/messages/pass-issued";
import { customerPassView } from "../support/customer-pass";

const LINK = "https://app.passlite.test/my-passes?token=eyJ.abc.def";

const pass = customerPassView({ business_name: "Bean\nThere <b>& Co</b>" });

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
