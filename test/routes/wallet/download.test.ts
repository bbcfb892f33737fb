import { env } from "cloudflare:test";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { businessWithTemplates, createTemplate, issue, json, keyAuth, request } from "../../support/api";
import { makePng, pngSize, uploadImage } from "../../support/images";
import { passJsonOf } from "../../support/pass-json-schema";
import { inspectSignature, sha1Hex, sha256Hex, verifyChain } from "../../wallet/apple/verify-signature";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const ANDROID = "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
const DESKTOP_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const MAC_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";

const open = (url: string, userAgent: string, headers: Record<string, string> = {}) =>
  request(url, { headers: { "user-agent": userAgent, ...headers }, redirect: "manual" });

async function pkpassFiles(res: Response) {
  expect(res.status).toBe(200);
  return unzipSync(new Uint8Array(await res.arrayBuffer()));
}

describe("the pass download link", () => {
  it("gives an iPhone a signed .pkpass whose manifest and signature verify", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Jane Doe" });
    const res = await open(pass.download_url, IPHONE);
    expect(res.headers.get("content-type")).toBe("application/vnd.apple.pkpass");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${pass.serial_number}.pkpass"`);
    expect(res.headers.get("etag")).toBeTruthy();
    expect(res.headers.get("last-modified")).toBeTruthy();
    const files = await pkpassFiles(res);
    expect(Object.keys(files).sort()).toEqual(["icon.png", "icon@2x.png", "icon@3x.png", "manifest.json", "pass.json", "signature"]);

    const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"])) as Record<string, string>;
    for (const [name, hash] of Object.entries(manifest)) expect(sha1Hex(files[name]!), name).toBe(hash);
    expect(Object.keys(manifest).sort()).toEqual(["icon.png", "icon@2x.png", "icon@3x.png", "pass.json"]);
    expect(pngSize(files["icon@3x.png"])).toEqual({ width: 87, height: 87 });

    const report = inspectSignature(files.signature!);
    expect(report.signatureValid).toBe(true);
    expect(report.messageDigestHex).toBe(sha256Hex(files["manifest.json"]!));
    expect(report.certificates.map((c) => c.subject.getField("CN")?.value)).toEqual(
      expect.arrayContaining(["Pass Type ID: pass.dev.passlite.local"]),
    );
    expect(verifyChain(report.certificates, env.TEST_APPLE_ROOT_CA)).toBe(true);
    expect(report.certificates.length).toBe(2);
  });

  it("fills pass.json from the template and the pass's live values", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Jane Doe", nfc_data: "nfc-1" });
    await request(`/businesses/${businessId}/passes/${pass.id}/stamp?count=4`, { method: "POST", headers: keyAuth(liveKey) });
    const files = await pkpassFiles(await open(pass.download_url, IPHONE));
    const passJson = passJsonOf(files);
    expect(passJson).toMatchObject({
      formatVersion: 1,
      passTypeIdentifier: "pass.dev.passlite.local",
      teamIdentifier: "DEVTEAM000",
      serialNumber: pass.serial_number,
      organizationName: "Demo Cafe",
      description: "Coffee card",
      webServiceURL: "https://api.passlite.test/api/v1/wallet/apple",
      barcodes: [
        { format: "PKBarcodeFormatQR", message: `https://app.passlite.test/validate/${pass.serial_number}`, messageEncoding: "iso-8859-1" },
      ],
    });
    expect(passJson.authenticationToken.length).toBeGreaterThanOrEqual(32);
    expect(passJson.storeCard.primaryFields[0]).toMatchObject({
      key: "stamps",
      label: "Stamps",
      value: "4/10",
      changeMessage: "You now have %@ stamps",
    });
    expect(passJson.storeCard.secondaryFields[0]).toMatchObject({ value: "Jane Doe" });
    // NFC needs Apple's NFC key, which this deployment does not have.
    expect(passJson.nfc).toBeUndefined();
  });

  it("uses the style, barcode format, override and voided flag that fit", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, {
      name: "Gig",
      type: "event_ticket",
      barcode_format: "pdf417",
      event: { name: "The Band", starts_at: "2027-01-01T20:00:00Z" },
    });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id, barcode_data: "TICKET-XYZ-12345" });
    await request(`/businesses/${businessId}/passes/${pass.id}`, { method: "DELETE", headers: keyAuth(liveKey) });
    const files = await pkpassFiles(await open(pass.download_url, IPHONE));
    const passJson = passJsonOf(files);
    expect(passJson.eventTicket.primaryFields[0]).toMatchObject({ value: "The Band" });
    expect(passJson.barcodes[0]).toMatchObject({ format: "PKBarcodeFormatPDF417", message: "TICKET-XYZ-12345" });
    expect(passJson.voided).toBe(true);
    expect(passJson.relevantDate).toBe("2027-01-01T20:00:00Z");
  });

  it("signs the barcode when the template asks for it", async () => {
    const { businessId, liveKey } = await businessWithTemplates();
    const tpl = await createTemplate(businessId, liveKey, { name: "Signed", type: "coupon", scan_security: { signed_barcodes: true } });
    const pass = await issue(businessId, liveKey, { template_id: tpl.id });
    const passJson = passJsonOf(await pkpassFiles(await open(pass.download_url, IPHONE)));
    expect(passJson.barcodes[0].message).toMatch(
      new RegExp(`^https://app.passlite.test/validate/${pass.serial_number}\\?sig=[A-Za-z0-9_-]{16}$`),
    );
  });

  it("carries each uploaded image at @1x, @2x and @3x, sized for the pass style", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const uploads = { icon: makePng(512, 512), logo: makePng(1000, 250), strip: makePng(1500, 700) };
    for (const [slot, png] of Object.entries(uploads)) await json(await uploadImage(businessId, liveKey, giftCard.id, slot, png), 200);
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, initial_balance: 25 });
    const files = await pkpassFiles(await open(pass.download_url, IPHONE));

    expect(
      Object.keys(files)
        .filter((f) => f.endsWith(".png"))
        .sort(),
    ).toEqual([
      "icon.png",
      "icon@2x.png",
      "icon@3x.png",
      "logo.png",
      "logo@2x.png",
      "logo@3x.png",
      "strip.png",
      "strip@2x.png",
      "strip@3x.png",
    ]);
    expect([1, 2, 3].map((d) => pngSize(files[d === 1 ? "icon.png" : `icon@${d}x.png`]))).toEqual([
      { width: 29, height: 29 },
      { width: 58, height: 58 },
      { width: 87, height: 87 },
    ]);
    for (const [file, limit] of [
      ["logo.png", [160, 50]],
      ["logo@2x.png", [320, 100]],
      ["logo@3x.png", [480, 150]],
    ] as const) {
      const size = pngSize(files[file]);
      expect(size.width, file).toBeLessThanOrEqual(limit[0]);
      expect(size.height, file).toBeLessThanOrEqual(limit[1]);
      expect(size.width === limit[0] || size.height === limit[1], `${file} fills its area on one side`).toBe(true);
      expect(Math.abs(size.width / size.height - 4), `${file} keeps 4:1`).toBeLessThan(0.05);
    }
    // Gift cards are store cards with a 375×144 pt strip.
    expect(pngSize(files["strip@3x.png"])).toEqual({ width: 1125, height: 432 });
    expect(files["logo@3x.png"]).toEqual(
      new Uint8Array(await (await env.IMAGES.get(`templates/${giftCard.id}/logo@3x.png`))!.arrayBuffer()),
    );
    const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"])) as Record<string, string>;
    expect(manifest["strip@3x.png"]).toBe(sha1Hex(files["strip@3x.png"]!));
    const passJson = passJsonOf(files);
    expect(passJson.storeCard.primaryFields[0]).toMatchObject({ value: 25, currencyCode: "GBP" });
  });

  it("leaves out the images the pass style does not show: an event ticket's strip beside a background", async () => {
    const { businessId, liveKey, ticket } = await businessWithTemplates();
    await json(await uploadImage(businessId, liveKey, ticket.id, "strip", makePng(1200, 400)), 200);
    const stripOnly = await pkpassFiles(await open((await issue(businessId, liveKey, { template_id: ticket.id })).download_url, IPHONE));
    expect(pngSize(stripOnly["strip@3x.png"])).toEqual({ width: 1125, height: 294 });

    await json(await uploadImage(businessId, liveKey, ticket.id, "background", makePng(540, 660)), 200);
    await json(await uploadImage(businessId, liveKey, ticket.id, "thumbnail", makePng(400, 300)), 200);
    const files = await pkpassFiles(await open((await issue(businessId, liveKey, { template_id: ticket.id })).download_url, IPHONE));
    expect(Object.keys(files).filter((f) => f.startsWith("strip"))).toEqual([]);
    expect(pngSize(files["background@3x.png"])).toEqual({ width: 540, height: 660 });
    expect(pngSize(files["background.png"])).toEqual({ width: 180, height: 220 });
    expect(pngSize(files["thumbnail@3x.png"])).toEqual({ width: 270, height: 203 });
    expect(pngSize(files["icon@3x.png"])).toEqual({ width: 87, height: 87 });

    const member = await createTemplate(businessId, liveKey, { name: "Members", type: "membership" });
    await json(await uploadImage(businessId, liveKey, member.id, "strip", makePng(1200, 400)), 200);
    const generic = await pkpassFiles(await open((await issue(businessId, liveKey, { template_id: member.id })).download_url, IPHONE));
    expect(
      Object.keys(generic)
        .filter((f) => f.endsWith(".png"))
        .sort(),
    ).toEqual(["icon.png", "icon@2x.png", "icon@3x.png"]);
  });

  it("answers 304 when the phone's copy is current, and a new ETag after a change", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const first = await open(pass.download_url, IPHONE);
    const etag = first.headers.get("etag")!;
    expect((await open(pass.download_url, IPHONE, { "if-none-match": etag })).status).toBe(304);
    await request(`/businesses/${businessId}/passes/${pass.id}/stamp`, { method: "POST", headers: keyAuth(liveKey) });
    const changed = await open(pass.download_url, IPHONE, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("is 404 with a wrong token or an unknown serial", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const wrong = pass.download_url.replace(/[0-9a-z]$/, (ch: string) => (ch === "a" ? "b" : "a"));
    expect((await open(wrong, IPHONE)).status).toBe(404);
    expect((await open(`https://api.passlite.test/pass/PL-00000-00000/${pass.download_url.split("/").pop()}`, IPHONE)).status).toBe(404);
    expect((await open(`https://api.passlite.test/pass/${pass.serial_number}`, IPHONE)).status).toBe(404);
  });

  it("sends Android to Google Wallet with a signed save link", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id });
    const res = await open(pass.download_url, ANDROID);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\/[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("shows amounts on the page as people read them in the pass's currency", async () => {
    const { businessId, liveKey, giftCard } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: giftCard.id, customer_name: "Jane Doe", initial_balance: 70 });
    const html = await (await open(pass.download_url, DESKTOP_CHROME)).text();
    expect(html).toContain("£70.00");
    expect(html).not.toContain("GBP");
  });

  it("shows other browsers a page with both buttons and a QR code, and says when a pass is voided", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    const pass = await issue(businessId, liveKey, { template_id: loyalty.id, customer_name: "Jane Doe" });
    const res = await open(pass.download_url, DESKTOP_CHROME);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain("Demo Cafe");
    expect(html).toContain("Add to Apple Wallet");
    expect(html).toContain("Add to Google Wallet");
    expect(html).toContain("<svg");
    expect(html).not.toContain("voided");

    await request(`/businesses/${businessId}/passes/${pass.id}`, { method: "DELETE", headers: keyAuth(liveKey) });
    expect(await (await open(pass.download_url, DESKTOP_CHROME)).text()).toContain("This pass has been voided");
    // Safari on a Mac can add passes to Wallet itself.
    expect((await open(pass.download_url, MAC_SAFARI)).headers.get("content-type")).toBe("application/vnd.apple.pkpass");
  });
});
