import { describe, expect, it } from "vitest";
import { PassPage, type PassPageProps } from "../../src/web/pass-page";
import { render } from "./render";

const props: PassPageProps = {
  businessName: "Bean There",
  title: "Coffee card",
  customerName: "Jane Doe",
  status: "active",
  summary: [{ label: "Stamps", value: "4 of 10" }],
  color: "#1e40af",
  textColor: "#ffffff",
  appleUrl: "/pass/PL-X/tok?format=pkpass",
  googleUrl: "https://pay.google.com/gp/v/save/eyJ",
  pageUrl: "https://api.passlite.test/pass/PL-X/tok",
};

describe("PassPage", () => {
  it("shows the card in its colours, its values, both wallet buttons and a QR code of the link", async () => {
    const html = await render(PassPage, props);
    expect(html).toContain("<title>Coffee card — Bean There</title>");
    expect(html).toContain('style="background:#1e40af;color:#ffffff"');
    expect(html).toContain("<dt>Stamps</dt><dd>4 of 10</dd>");
    expect(html).toContain("<p>Jane Doe</p>");
    expect(html).toContain('<a href="/pass/PL-X/tok?format=pkpass">Add to Apple Wallet</a>');
    expect(html).toContain('<a class="google" href="https://pay.google.com/gp/v/save/eyJ">Add to Google Wallet</a>');
    expect(html).toContain('aria-label="QR code of this link"');
    expect(html).not.toContain('role="status"');
    expect(html).toContain("<style>");
  });

  it("hides the Google button when Google Wallet is not configured, and says when a pass is voided or expired", async () => {
    const voided = await render(PassPage, { ...props, googleUrl: null, status: "voided" });
    expect(voided).not.toContain("Add to Google Wallet");
    expect(voided).toContain("This pass has been voided by Bean There and can no longer be used.");
    expect(await render(PassPage, { ...props, status: "expired" })).toContain("This pass has expired.");
  });

  it("escapes what the merchant and the customer typed", async () => {
    const html = await render(PassPage, { ...props, businessName: "<b>Shop</b>", customerName: '"><script>alert(1)</script>' });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>Shop</b>");
    expect(html).toContain("&lt;b&gt;Shop&lt;/b&gt;");
  });
});
