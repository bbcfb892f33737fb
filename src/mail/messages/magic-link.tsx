import { CUSTOMER_TOKEN_TTL_SECONDS } from "../../domain/customer-access/token";
import type { Mail } from "../mailer";
import { brandColors, EmailButton, EmailLayout, renderEmail } from "./layout";

const MINUTES = CUSTOMER_TOKEN_TTL_SECONDS / 60;
const BRAND = { name: "Your passes", background: null, foreground: null };

/** The sign-in link: one button, the link written out for mail clients that mangle buttons, and what to do if unasked. */
export async function magicLinkMail(input: { to: string; link: string }): Promise<Mail> {
  const colors = brandColors(BRAND);
  const html = await renderEmail(
    <EmailLayout brand={BRAND} preview={`Your link to your wallet passes. It works for ${MINUTES} minutes.`}>
      <p style="margin:0 0 12px">
        Here is your link to see the wallet passes held by <strong>{input.to}</strong> and add them to your phone again.
      </p>
      <EmailButton href={input.link} background={colors.background} color={colors.foreground}>
        See my passes
      </EmailButton>
      <p style="margin:12px 0;font-size:14px;color:#6e6e73">
        It works for {MINUTES} minutes. If the button does not work, copy this address into your browser:
        <br />
        <a href={input.link} style="color:#0066cc;word-break:break-all">
          {input.link}
        </a>
      </p>
      <p style="margin:12px 0 0;font-size:14px;color:#6e6e73">
        If you did not ask for this, ignore this email: nothing happens without the link.
      </p>
    </EmailLayout>,
  );
  const text = [
    `Here is your link to see the wallet passes held by ${input.to} and add them to your phone again:`,
    "",
    input.link,
    "",
    `It works for ${MINUTES} minutes.`,
    "If you did not ask for this, ignore this email: nothing happens without the link.",
  ].join("\n");
  return { to: input.to, subject: "Your link to your passes", html, text };
}
