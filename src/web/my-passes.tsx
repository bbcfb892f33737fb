import type { Child, FC } from "hono/jsx";
import { cssColor, highlightsOf } from "../domain/customer-access/highlights";
import type { CustomerPassView } from "../domain/customer-access/passes";
import { Document } from "./document";

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,system-ui,"Segoe UI",Roboto,sans-serif;background:#f5f5f7;color:#1d1d1f}
main{max-width:480px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:28px;line-height:1.2;margin:8px 0 4px}
.muted{color:#6e6e73;margin:0 0 20px;overflow-wrap:anywhere}
.panel{background:#fff;border-radius:16px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
label{display:block;font-weight:600;margin-bottom:8px}
input[type=email]{width:100%;font:inherit;padding:12px 14px;border:1px solid #c7c7cc;border-radius:12px;background:#fff}
input[type=email]:focus{outline:3px solid #0071e3;outline-offset:1px}
button,.button{display:block;width:100%;text-align:center;font:inherit;font-weight:600;padding:14px;border-radius:12px;border:0;text-decoration:none;cursor:pointer}
.primary{background:#1d1d1f;color:#fff;margin-top:16px}
.notice{border-radius:12px;padding:12px 14px;margin:16px 0}
.notice.error{background:#fff3f3;color:#a40000;border:1px solid #f3c0c0}
.notice.info{background:#eef6ff;color:#0b4a8b;border:1px solid #c6dcf5}
.passes{display:grid;gap:16px}
.pass{border-radius:16px;padding:20px;box-shadow:0 8px 24px rgba(0,0,0,.12)}
.pass .business{margin:0;font-size:14px;opacity:.85}
.pass h2{margin:2px 0 0;font-size:22px;line-height:1.25}
.pass dl{display:flex;flex-wrap:wrap;gap:8px 24px;margin:16px 0 0}
.pass dt{font-size:12px;text-transform:uppercase;letter-spacing:.04em;opacity:.8}
.pass dd{margin:0;font-size:20px;font-weight:600}
.status{display:inline-block;margin-top:12px;padding:2px 10px;border-radius:999px;font-size:13px;font-weight:600;background:rgba(255,255,255,.9);color:#a40000}
.wallets{display:grid;gap:10px;margin-top:18px}
.apple{background:#000;color:#fff}
.google{background:#fff;color:#1d1d1f;border:1px solid #c7c7cc}
.signout{margin:32px auto 0}
.signout button{background:none;color:#0066cc;font-weight:500}
@media (min-width:900px){main{max-width:960px;padding-top:48px}.passes{grid-template-columns:1fr 1fr}.narrow{max-width:480px;margin-left:auto;margin-right:auto}}
`;

/** Brand colours as classes in the nonce'd stylesheet, so the CSP needs no 'unsafe-inline'. */
function cardStyles(passes: CustomerPassView[]): string {
  return passes
    .map((p, i) => `.card-${i}{background:${cssColor(p.colors.background, "#334155")};color:${cssColor(p.colors.foreground, "#ffffff")}}`)
    .join("\n");
}

const Page: FC<{ title: string; nonce: string; extraStyle?: string; children: Child }> = ({ title, nonce, extraStyle, children }) => (
  <Document title={title} style={STYLE + (extraStyle ?? "")} nonce={nonce} meta={{ referrer: "no-referrer" }}>
    <main>{children}</main>
  </Document>
);

const EmailForm: FC<{ email?: string | null; button: string }> = ({ email, button }) => (
  <form class="panel" method="post" action="/my-passes">
    <label for="email">Email address</label>
    <input id="email" name="email" type="email" required autocomplete="email" inputmode="email" value={email ?? ""} />
    <button class="primary" type="submit">
      {button}
    </button>
  </form>
);

export type NoticeKind = "error" | "info";

/** Enter an email; optionally with a notice above (why a link did not work, or that you signed out). */
export const RequestLinkPage: FC<{
  nonce: string;
  heading: string;
  intro?: string;
  notice?: { kind: NoticeKind; text: string };
  email?: string | null;
}> = (p) => (
  <Page title={`${p.heading} — your passes`} nonce={p.nonce}>
    <div class="narrow">
      <h1>{p.heading}</h1>
      {p.intro ? <p class="muted">{p.intro}</p> : null}
      {p.notice ? (
        <p class={`notice ${p.notice.kind}`} role={p.notice.kind === "error" ? "alert" : "status"}>
          {p.notice.text}
        </p>
      ) : null}
      <EmailForm email={p.email} button="Email me a link" />
    </div>
  </Page>
);

export const CheckInboxPage: FC<{ nonce: string; minutes: number }> = ({ nonce, minutes }) => (
  <Page title="Check your inbox — your passes" nonce={nonce}>
    <div class="narrow">
      <h1>Check your inbox</h1>
      <p class="muted">If we hold passes for that address, a link to them is on its way. It works for {minutes} minutes.</p>
      <p class="panel">
        Nothing arrived after a few minutes? Look in your spam folder, or check the address you gave when you got your pass.
      </p>
      <p>
        <a class="button google" href="/my-passes">
          Use another email
        </a>
      </p>
    </div>
  </Page>
);

const PassCard: FC<{ pass: CustomerPassView; index: number }> = ({ pass, index }) => {
  const usable = pass.status === "active" || pass.status === "checked_in";
  const highlights = highlightsOf(pass);
  return (
    <article class={`pass card-${index}`} aria-label={`${pass.title} from ${pass.business_name}`}>
      <p class="business">{pass.business_name}</p>
      <h2>{pass.title}</h2>
      {highlights.length ? (
        <dl>
          {highlights.map((h) => (
            <div>
              <dt>{h.label}</dt>
              <dd>{h.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {usable ? null : <span class="status">{pass.status.replace("_", " ")}</span>}
      {usable ? (
        <div class="wallets">
          <a class="button apple" href={pass.apple_wallet_url}>
            Add to Apple Wallet
          </a>
          {pass.google_wallet_url ? (
            <a class="button google" href={pass.google_wallet_url}>
              Add to Google Wallet
            </a>
          ) : null}
        </div>
      ) : null}
    </article>
  );
};

export const PassesPage: FC<{ nonce: string; email: string; passes: CustomerPassView[] }> = ({ nonce, email, passes }) => (
  <Page title="Your passes" nonce={nonce} extraStyle={cardStyles(passes)}>
    <h1>Your passes</h1>
    <p class="muted">{email}</p>
    {passes.length ? (
      <div class="passes">
        {passes.map((pass, index) => (
          <PassCard pass={pass} index={index} />
        ))}
      </div>
    ) : (
      <p class="panel">We found no passes for this email.</p>
    )}
    <form class="signout narrow" method="post" action="/my-passes/logout-everywhere">
      <button type="submit">Sign out on every device</button>
    </form>
  </Page>
);
