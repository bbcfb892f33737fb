import { describe, expect, it } from "vitest";
import { PassNotFoundPage, ValidatePage, type ValidatePageProps } from "../../src/web/validate-page";
import { render } from "./render";

const props: ValidatePageProps = {
  businessName: "Hall",
  title: "The Band",
  valid: true,
  detail: null,
  holder: "Jane",
  color: "#111111",
  textColor: "#eeeeee",
  staff: { businessId: "biz_1", mode: "live", scanPath: "/api/v1/businesses/biz_1/scan" },
  nonce: "n0nce",
};

describe("ValidatePage", () => {
  it("says Valid in green and shows the holder's first name", async () => {
    const html = await render(ValidatePage, props);
    expect(html).toContain('<h1 class="verdict valid">Valid</h1>');
    expect(html).toContain("<strong>Jane</strong>");
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it("turns amber when a check-in would meet the cooldown, and red with the reason when not valid", async () => {
    const cooling = await render(ValidatePage, { ...props, detail: "Already checked in at 14:30" });
    expect(cooling).toContain('<h1 class="verdict valid caution">Valid</h1>');
    expect(cooling).toContain("Already checked in at 14:30");
    const voided = await render(ValidatePage, { ...props, valid: false, detail: "This pass has been voided", holder: null });
    expect(voided).toContain('<h1 class="verdict invalid">Not valid</h1>');
    expect(voided).toContain("This pass has been voided");
    expect(voided).not.toContain("Holder");
  });

  it("keeps the staff check-in hidden until its nonce'd script finds a staff token for this business", async () => {
    const html = await render(ValidatePage, props);
    expect(html).toMatch(
      /<section id="staff" hidden="" data-business="biz_1" data-mode="live" data-scan-path="\/api\/v1\/businesses\/biz_1\/scan"/,
    );
    expect(html).toContain('<script nonce="n0nce">');
    expect(html).toContain('localStorage.getItem("passlite.access_token")');
  });

  it("escapes the merchant's names", async () => {
    const html = await render(ValidatePage, { ...props, title: "<img src=x onerror=alert(1)>" });
    expect(html).not.toContain("<img");
  });
});

describe("PassNotFoundPage", () => {
  it("says no pass has this number", async () => {
    const html = await render(PassNotFoundPage, {});
    expect(html).toContain('<h1 class="verdict invalid">Pass not found</h1>');
    expect(html).toContain("No pass has this number.");
  });
});
