import { describe, expect, it } from "vitest";
import { CheckInboxPage, PassesPage, RequestLinkPage } from "../../src/web/my-passes";
import { customerPassView } from "../support/customer-pass";
import { render } from "./render";

const loyalty = customerPassView();
const gift = customerPassView({
  id: "pass_2",
  title: "Gift card",
  type: "gift_card",
  status: "voided",
  stamps: 0,
  stamp_goal: null,
  balance: 70,
  balance_formatted: "£70.00",
  currency: "GBP",
  colors: { background: "red;} body{display:none", foreground: null },
  google_wallet_url: "https://pay.google.com/gp/v/save/eyJ",
});

describe("PassesPage", () => {
  it("lists each pass with its values as people read them, and wallet buttons only for usable passes", async () => {
    const html = await render(PassesPage, { nonce: "n0nce", email: "jane@example.com", passes: [loyalty, gift] });
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).toContain("<dt>Stamps</dt><dd>4 of 10</dd>");
    expect(html).toContain("<dt>Balance</dt><dd>£70.00</dd>");
    expect(html.match(/Add to Apple Wallet/g)).toHaveLength(1);
    expect(html).not.toContain("Add to Google Wallet");
    expect(html).toContain('<span class="status">voided</span>');
    expect(html).toContain('action="/my-passes/logout-everywhere"');
  });

  it("puts brand colours in the nonce'd stylesheet, and only valid ones", async () => {
    const html = await render(PassesPage, { nonce: "n", email: "jane@example.com", passes: [loyalty, gift] });
    expect(html).toContain(".card-0{background:#1e40af;color:#ffffff}");
    expect(html).toContain(".card-1{background:#334155;color:#ffffff}");
    expect(html).not.toContain("display:none");
    expect(html).not.toMatch(/<[^>]+ style=/);
  });

  it("says when the email has no passes", async () => {
    expect(await render(PassesPage, { nonce: "n", email: "x@example.com", passes: [] })).toContain("We found no passes for this email.");
  });
});

describe("the sign-in pages", () => {
  it("asks for the email, keeping what was typed, escaped", async () => {
    const html = await render(RequestLinkPage, {
      nonce: "n",
      heading: "That link has expired",
      notice: { kind: "error", text: "Links work for 15 minutes." },
      email: '"><script>x</script>',
    });
    expect(html).toContain("<h1>That link has expired</h1>");
    expect(html).toContain('<p class="notice error" role="alert">Links work for 15 minutes.</p>');
    expect(html).toContain('<form class="panel" method="post" action="/my-passes">');
    expect(html).not.toContain("<script>");
  });

  it("tells the customer to check their inbox and how long the link works", async () => {
    expect(await render(CheckInboxPage, { nonce: "n", minutes: 15 })).toMatch(/15 minutes/);
  });
});
