import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../src/db/client";
import { insertMagicLinkDelivery } from "../../src/db/deliveries";
import { insertMagicLinkEvent } from "../../src/db/events";
import { customerEmailHash } from "../../src/domain/customers";
import { bearer, businessWithTemplates, createTemplate, issue, json, keyAuth, request, shardOf, uniqueEmail } from "../support/api";
import { askForLink, EMAIL_PATH, freshIp, mailTo, waitForMail } from "../support/mail";
import { pipelineIdle } from "../support/pipeline";
import { answerGoogleTokens, program } from "../support/recorder";

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

const control = () => createDatabase(env.DB);
const magicDeliveries = async (email: string) =>
  (
    await env.DB.prepare("SELECT * FROM email_deliveries WHERE target = ? ORDER BY id")
      .bind(`magic_link:${await customerEmailHash(email)}`)
      .all<DeliveryRow>()
  ).results;

/** A live pass for a fresh email, so a magic link for it is mailed. */
async function customer() {
  const biz = await businessWithTemplates();
  const email = uniqueEmail("mail");
  await issue(biz.businessId, biz.liveKey, { template_id: biz.loyalty.id, customer_email: email });
  return { ...biz, email };
}

describe("email deliveries", () => {
  beforeAll(() => answerGoogleTokens());

  it("retries a failing provider on the schedule with the same request, and sends once", async () => {
    const { email } = await customer();
    await program({ path: EMAIL_PATH, bodyIncludes: email, status: 503, body: { name: "application_error" }, times: 2 });
    await askForLink(email, freshIp());
    const attempts = await waitForMail(email, 3);
    await pipelineIdle();
    expect(await mailTo(email)).toHaveLength(3);
    // Every attempt is the same request: same key, same body (the token is minted from the request's own time).
    expect(new Set(attempts.map((a) => a.request.headers["idempotency-key"])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.request.body)).size).toBe(1);
    const [delivery] = await magicDeliveries(email);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 3 });

    // A stray repeat of the last message sends nothing again.
    await env.EMAIL_QUEUE.send({ shard: "DB", delivery: delivery!.id, attempt: 3 });
    await env.EMAIL_QUEUE.send({ shard: "DB", delivery: delivery!.id, attempt: 4 });
    await new Promise((r) => setTimeout(r, 1500));
    await pipelineIdle();
    expect(await mailTo(email)).toHaveLength(3);
  });

  it("gives up after the schedule, and at once on mail the provider refuses", async () => {
    const failing = await customer();
    await program({ path: EMAIL_PATH, bodyIncludes: failing.email, status: 500, times: 10 });
    const refused = await customer();
    await program({
      path: EMAIL_PATH,
      bodyIncludes: refused.email,
      status: 422,
      body: { name: "validation_error", message: "Invalid `to`" },
    });
    await askForLink(failing.email, freshIp());
    await askForLink(refused.email, freshIp());
    await waitForMail(failing.email, 4);
    await pipelineIdle();
    expect(await mailTo(failing.email)).toHaveLength(4);
    expect((await magicDeliveries(failing.email))[0]).toMatchObject({ status: "failed", attempts: 4 });
    expect((await magicDeliveries(failing.email))[0]!.last_error).toContain("gave up after 4 attempts");
    expect(await mailTo(refused.email)).toHaveLength(1);
    expect((await magicDeliveries(refused.email))[0]).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("does not send a sign-in link that would arrive expired", async () => {
    const { email } = await customer();
    const eventId = `evt_stale${crypto.randomUUID().replace(/-/g, "").slice(0, 17)}`;
    const deliveryId = `em_stale${crypto.randomUUID().replace(/-/g, "").slice(0, 18)}`;
    const asked = new Date(Date.now() - 16 * 60_000).toISOString();
    const db = control();
    await db.$client.batch([
      insertMagicLinkEvent(db, { id: eventId, email, now: asked }).statement,
      insertMagicLinkDelivery(db, { id: deliveryId, eventId, emailHash: await customerEmailHash(email), now: asked }),
      // Fanned out long ago; only its delivery is left to run.
      db.$client.prepare("UPDATE events SET dispatched_at = created_at WHERE id = ?").bind(eventId),
    ]);
    await env.EMAIL_QUEUE.send({ shard: "DB", delivery: deliveryId, attempt: 1 });
    for (let i = 0; i < 100 && (await magicDeliveries(email))[0]?.status === "pending"; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await magicDeliveries(email))[0]).toMatchObject({
      status: "failed",
      last_error: "Not sent before the link would have expired",
    });
    expect(await mailTo(email)).toEqual([]);
  });
});

describe("a new pass by email", () => {
  beforeAll(() => answerGoogleTokens());

  it("is mailed when its template says so: escaped, in the business's colours, with both wallets' links", async () => {
    const { businessId, liveKey, session } = await businessWithTemplates();
    await json(
      await request("/businesses/me", {
        method: "PATCH",
        headers: bearer(session),
        json: { name: `Tom & Jerry's <b>Café</b>`, brand_colors: { background: "#123456", foreground: "#fedcba" } },
      }),
      200,
    );
    const template = await createTemplate(businessId, liveKey, { name: "Gift", type: "gift_card", currency: "GBP", email_on_issue: true });
    expect(template.email_on_issue).toBe(true);
    const email = uniqueEmail("new-pass");
    const pass = await issue(businessId, liveKey, {
      template_id: template.id,
      customer_email: email,
      customer_name: "<script>alert(1)</script>",
      initial_balance: 70,
    });
    const [mail] = await waitForMail(email);
    await pipelineIdle();
    expect(await mailTo(email)).toHaveLength(1);
    const { subject, html, text, to } = mail!.body;
    expect(to).toEqual([email]);
    expect(subject).toBe("Your card from Tom & Jerry's <b>Café</b>");
    expect(html).toContain("Tom &amp; Jerry&#39;s &lt;b&gt;Café&lt;/b&gt;");
    expect(html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;,");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>Café");
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("background:#123456;color:#fedcba");
    expect(html).toContain(`href="${pass.download_url}?format=pkpass"`);
    expect(html).toMatch(/href="https:\/\/pay\.google\.com\/gp\/v\/save\/[^"]+"/);
    expect(html).toContain("£70.00");
    expect(text).toContain(`Add to Apple Wallet: ${pass.download_url}?format=pkpass`);
    expect(text).toMatch(/Add to Google Wallet: https:\/\/pay\.google\.com\/gp\/v\/save\/\S+/);
    expect(text).toContain("Balance: £70.00");
    expect(text).toContain("https://app.passlite.test/my-passes");
  });

  it("is not mailed without the option, without an email, or in test mode", async () => {
    const { businessId, liveKey, testKey, loyalty } = await businessWithTemplates();
    const mailing = await createTemplate(businessId, liveKey, { name: "Mailed", type: "loyalty", email_on_issue: true });
    const testMailing = await createTemplate(businessId, testKey, { name: "Test mailed", type: "loyalty", email_on_issue: true });
    const [plain, testMode, control] = [uniqueEmail("plain"), uniqueEmail("test-mode"), uniqueEmail("control")];
    await issue(businessId, liveKey, { template_id: loyalty.id, customer_email: plain });
    await issue(businessId, testKey, { template_id: testMailing.id, customer_email: testMode });
    await issue(businessId, liveKey, { template_id: mailing.id });
    await issue(businessId, liveKey, { template_id: mailing.id, customer_email: control });
    await waitForMail(control);
    await pipelineIdle();
    expect(await mailTo(plain)).toEqual([]);
    expect(await mailTo(testMode)).toEqual([]);
    const rows = await (await shardOf(businessId))
      .prepare("SELECT COUNT(*) AS n FROM email_deliveries WHERE pass_id IN (SELECT id FROM passes WHERE business_id = ?)")
      .bind(businessId)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it("is an option templates made before it existed read as off, and PATCH turns on", async () => {
    const { businessId, liveKey, loyalty } = await businessWithTemplates();
    expect(loyalty.email_on_issue).toBe(false);
    const db = await shardOf(businessId);
    await db.prepare("UPDATE templates SET design = json_remove(design, '$.email_on_issue') WHERE id = ?").bind(loyalty.id).run();
    const stored = await json(await request(`/businesses/${businessId}/templates/${loyalty.id}`, { headers: keyAuth(liveKey) }), 200);
    expect(stored.email_on_issue).toBe(false);
    const patched = await json(
      await request(`/businesses/${businessId}/templates/${loyalty.id}`, {
        method: "PATCH",
        headers: keyAuth(liveKey),
        json: { email_on_issue: true },
      }),
      200,
    );
    expect(patched.email_on_issue).toBe(true);
  });
});
