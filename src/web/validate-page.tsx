import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import { Document } from "./document";

const NOINDEX = { robots: "noindex" };

export interface ValidatePageProps {
  businessName: string;
  title: string;
  valid: boolean;
  detail: string | null;
  holder: string | null;
  color: string;
  textColor: string;
  /** For the staff check-in: whose pass it is, in which mode, and where a check-in is posted. */
  staff: { businessId: string; mode: string; scanPath: string };
  nonce: string | undefined;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,system-ui,sans-serif;background:#f5f5f7;color:#1d1d1f}
main{max-width:480px;margin:0 auto;padding:24px 16px}
.card{border-radius:16px;padding:20px;box-shadow:0 8px 24px rgba(0,0,0,.12)}
.card p{margin:0;opacity:.9}.card h2{margin:4px 0 0;font-size:20px}
.verdict{margin:24px 0 0;padding:20px;border-radius:16px;font-size:34px;text-align:center;letter-spacing:.01em}
.verdict.valid{background:#e3f6e8;color:#0b6b2b;border:2px solid #7fd39a}
.verdict.invalid{background:#fdecec;color:#a40000;border:2px solid #f1a3a3}
.verdict.caution{background:#fff6e0;color:#8a5a00;border-color:#f0c36d}
.detail{margin:12px 0 0;text-align:center;font-size:18px}
.holder{margin:20px 0 0;text-align:center;color:#6e6e73}.holder strong{display:block;color:#1d1d1f;font-size:26px}
#staff{margin-top:28px;padding-top:20px;border-top:1px solid #d2d2d7;text-align:center}
#staff button{width:100%;padding:16px;border:0;border-radius:12px;background:#0071e3;color:#fff;font:600 18px system-ui,sans-serif;cursor:pointer}
#staff button:disabled{background:#8e8e93;cursor:default}
#staff-result{min-height:1.5em;margin:12px 0 0;font-weight:600}#staff-result.ok{color:#0b6b2b}#staff-result.refused{color:#a40000}
footer{margin-top:32px;text-align:center;color:#86868b;font-size:13px}
`;

/**
 * Shown to staff only: the dashboard (on this origin) keeps the signed-in member's access token in
 * localStorage "passlite.access_token". When it is for this business, the page offers Check in,
 * which posts the page's own URL to the scan endpoint with that token: the server decides, as for
 * any scanner. No cookie carries authority, so opening the page can never change anything.
 */
const STAFF_SCRIPT = `(() => {
  const staff = document.getElementById("staff");
  const token = localStorage.getItem("passlite.access_token");
  if (!staff || !token) return;
  let claims;
  try { claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))); } catch { return; }
  if (claims.bid !== staff.dataset.business || !(claims.exp * 1000 > Date.now())) return;
  staff.hidden = false;
  const button = document.getElementById("checkin");
  const result = document.getElementById("staff-result");
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.className = "";
    result.textContent = "Checking in…";
    const headers = { "content-type": "application/json", authorization: "Bearer " + token };
    if (staff.dataset.mode === "test") headers["x-passlite-mode"] = "test";
    try {
      const res = await fetch(staff.dataset.scanPath, {
        method: "POST",
        headers,
        body: JSON.stringify({ code: location.href, action: "checkin", device: "Validation page" }),
      });
      const body = await res.json().catch(() => ({}));
      result.className = res.ok ? "ok" : "refused";
      result.textContent = res.ok ? "Checked in" : (body.error && body.error.message) || "Check-in failed (" + res.status + ")";
      button.disabled = res.ok || res.status === 429 || res.status === 409 || res.status === 403;
    } catch {
      result.className = "refused";
      result.textContent = "Could not reach PassLite; try again.";
      button.disabled = false;
    }
  });
})();`;

/** What a phone camera opens from a pass's barcode: whether the pass is valid, and for staff, Check in. */
export const ValidatePage: FC<ValidatePageProps> = (p) => (
  <Document title={`${p.valid ? "Valid" : "Not valid"}: ${p.title} — ${p.businessName}`} style={STYLE} meta={NOINDEX}>
    <main>
      <div class="card" style={`background:${p.color};color:${p.textColor}`}>
        <p>{p.businessName}</p>
        <h2>{p.title}</h2>
      </div>
      {/* Valid, but a check-in would meet the cooldown: amber, so a used ticket does not read as a green light. */}
      <h1 class={p.valid ? (p.detail ? "verdict valid caution" : "verdict valid") : "verdict invalid"}>
        {p.valid ? "Valid" : "Not valid"}
      </h1>
      {p.detail ? (
        <p class="detail" role="status">
          {p.detail}
        </p>
      ) : null}
      {p.holder ? (
        <p class="holder">
          Holder
          <strong>{p.holder}</strong>
        </p>
      ) : null}
      <section
        id="staff"
        hidden
        data-business={p.staff.businessId}
        data-mode={p.staff.mode}
        data-scan-path={p.staff.scanPath}
        aria-label="Staff"
      >
        <button id="checkin" type="button">
          Check in
        </button>
        <p id="staff-result" role="status" />
      </section>
      <footer>Checked by PassLite</footer>
    </main>
    <script nonce={p.nonce}>{raw(STAFF_SCRIPT)}</script>
  </Document>
);

/** The same page for a serial nobody issued. */
export const PassNotFoundPage: FC = () => (
  <Document title="Pass not found" style={STYLE} meta={NOINDEX}>
    <main>
      <h1 class="verdict invalid">Pass not found</h1>
      <p class="detail">No pass has this number. Check the barcode, or ask the pass holder to open their pass again.</p>
    </main>
  </Document>
);
