import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import { Document } from "./document";
import { qrSvg } from "./qr";

export interface PassPageProps {
  businessName: string;
  title: string;
  customerName: string | null;
  status: string;
  summary: Array<{ label: string; value: string }>;
  color: string;
  textColor: string;
  appleUrl: string;
  googleUrl: string | null;
  pageUrl: string;
}

const STYLE = `
body{margin:0;font:16px/1.5 -apple-system,system-ui,sans-serif;background:#f5f5f7;color:#1d1d1f}
main{max-width:420px;margin:0 auto;padding:24px 16px}
.card{border-radius:16px;padding:20px;box-shadow:0 8px 24px rgba(0,0,0,.15)}
.card h1{margin:0 0 4px;font-size:22px}.card p{margin:0;opacity:.9}
dl{display:flex;gap:24px;margin:16px 0 0}dt{font-size:12px;text-transform:uppercase;opacity:.8}dd{margin:0;font-size:20px;font-weight:600}
.void{background:#fff3f3;color:#a40000;border:1px solid #f3c0c0;border-radius:12px;padding:12px;margin-top:16px}
.buttons{display:grid;gap:12px;margin-top:24px}
.buttons a{display:block;text-align:center;padding:14px;border-radius:12px;text-decoration:none;font-weight:600;background:#000;color:#fff}
.buttons a.google{background:#fff;color:#1d1d1f;border:1px solid #c7c7cc}
.qr{margin-top:32px;text-align:center;color:#6e6e73;font-size:14px}
`;

/** The page a pass link shows on a desktop (or anywhere the wallet cannot be chosen for you). */
export const PassPage: FC<PassPageProps> = (p) => (
  <Document title={`${p.title} — ${p.businessName}`} style={STYLE}>
    <main>
      <div class="card" style={`background:${p.color};color:${p.textColor}`}>
        <p>{p.businessName}</p>
        <h1>{p.title}</h1>
        {p.customerName ? <p>{p.customerName}</p> : null}
        {p.summary.length ? (
          <dl>
            {p.summary.map((s) => (
              <div>
                <dt>{s.label}</dt>
                <dd>{s.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
      {p.status === "voided" ? (
        <p class="void" role="status">
          This pass has been voided by {p.businessName} and can no longer be used.
        </p>
      ) : null}
      {p.status === "expired" ? (
        <p class="void" role="status">
          This pass has expired.
        </p>
      ) : null}
      <div class="buttons">
        <a href={p.appleUrl}>Add to Apple Wallet</a>
        {p.googleUrl ? (
          <a class="google" href={p.googleUrl}>
            Add to Google Wallet
          </a>
        ) : null}
      </div>
      <div class="qr">
        {raw(qrSvg(p.pageUrl))}
        <p>Scan with your phone to add this pass there.</p>
      </div>
    </main>
  </Document>
);
