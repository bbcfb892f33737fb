import { highlightsOf } from "../../domain/customer-access/highlights";
import type { CustomerPassView } from "../../domain/customer-access/passes";
import type { Mail } from "../mailer";
import { EmailButton, EmailLayout, renderEmail } from "./layout";

/** Names and titles go into a subject line: no line breaks, whatever was typed. */
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, " ").trim();

/**
 * "Your card from {business}": the new pass's buttons (Apple always; Google when configured), its
 * values, and where to get it back if the phone is lost. Everything the merchant or customer typed
 * is escaped by JSX in the HTML and kept to one line in the subject.
 */
export async function passIssuedMail(input: {
  to: string;
  customerName: string | null;
  pass: CustomerPassView;
  myPassesUrl: string;
}): Promise<Mail> {
  const { pass } = input;
  const business = oneLine(pass.business_name);
  const brand = { name: business, background: pass.colors.background, foreground: pass.colors.foreground };
  const highlights = highlightsOf(pass);
  const greeting = input.customerName ? `Hi ${oneLine(input.customerName)},` : "Hello,";
  const html = await renderEmail(
    <EmailLayout brand={brand} preview={`${pass.title} from ${business}: add it to your phone's wallet.`}>
      <p style="margin:0 0 12px">{greeting}</p>
      <p style="margin:0 0 12px">
        Here is your <strong>{pass.title}</strong> from {business}. Add it to your phone's wallet:
      </p>
      <EmailButton href={pass.apple_wallet_url} background="#000000" color="#ffffff">
        Add to Apple Wallet
      </EmailButton>
      {pass.google_wallet_url ? (
        <EmailButton href={pass.google_wallet_url} background="#ffffff" color="#1d1d1f" border="#c7c7cc">
          Add to Google Wallet
        </EmailButton>
      ) : null}
      {highlights.length ? (
        <table role="presentation" cellpadding="0" cellspacing="0" style="margin:16px 0">
          {highlights.map((h) => (
            <tr>
              <td style="padding:2px 16px 2px 0;color:#6e6e73;font-size:14px">{h.label}</td>
              <td style="padding:2px 0;font-weight:600">{h.value}</td>
            </tr>
          ))}
        </table>
      ) : null}
      <p style="margin:16px 0 0;font-size:14px;color:#6e6e73">
        Lost your phone? Get your passes back at{" "}
        <a href={input.myPassesUrl} style="color:#0066cc">
          {input.myPassesUrl}
        </a>
        .
      </p>
    </EmailLayout>,
  );
  const text = [
    greeting,
    "",
    `Here is your ${oneLine(pass.title)} from ${business}. Add it to your phone's wallet:`,
    "",
    `Add to Apple Wallet: ${pass.apple_wallet_url}`,
    ...(pass.google_wallet_url ? [`Add to Google Wallet: ${pass.google_wallet_url}`] : []),
    ...(highlights.length ? ["", ...highlights.map((h) => `${h.label}: ${h.value}`)] : []),
    "",
    `Lost your phone? Get your passes back at ${input.myPassesUrl}`,
  ].join("\n");
  return { to: input.to, subject: `Your card from ${business}`, html, text };
}
