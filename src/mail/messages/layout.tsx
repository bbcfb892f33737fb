import type { Child, FC } from "hono/jsx";
import { cssColor } from "../../domain/customer-access/highlights";

export interface Brand {
  name: string;
  background: string | null;
  foreground: string | null;
}

const NEUTRAL = { background: "#1d1d1f", foreground: "#ffffff" };

/** Brand colours for inline styles: validated hex, else neutral. */
export const brandColors = (brand: Pick<Brand, "background" | "foreground">) => ({
  background: cssColor(brand.background, NEUTRAL.background),
  foreground: cssColor(brand.foreground, NEUTRAL.foreground),
});

/**
 * The frame every email shares: a table layout with inline styles (what mail clients render),
 * the brand's name on its colours, and no images at all — so nothing is fetched when it is read.
 */
export const EmailLayout: FC<{ brand: Brand; preview: string; children: Child }> = ({ brand, preview, children }) => {
  const colors = brandColors(brand);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{brand.name}</title>
      </head>
      <body style="margin:0;padding:0;background:#f5f5f7;font-family:-apple-system,system-ui,'Segoe UI',Roboto,sans-serif;color:#1d1d1f">
        <div style="display:none;max-height:0;overflow:hidden">{preview}</div>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f5f5f7">
          <tr>
            <td align="center" style="padding:24px 12px">
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                style="max-width:480px;background:#ffffff;border-radius:16px"
              >
                <tr>
                  <td
                    style={`background:${colors.background};color:${colors.foreground};padding:20px 24px;border-radius:16px 16px 0 0;font-size:18px;font-weight:600`}
                  >
                    {brand.name}
                  </td>
                </tr>
                <tr>
                  <td style="padding:24px;font-size:16px;line-height:1.5">{children}</td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
};

/** A link that looks like a button: dark for Apple, outlined for Google, brand-coloured otherwise. */
export const EmailButton: FC<{ href: string; background: string; color: string; border?: string; children: Child }> = (p) => (
  <table role="presentation" cellpadding="0" cellspacing="0" style="margin:12px 0">
    <tr>
      <td style={`background:${p.background};border-radius:10px;${p.border ? `border:1px solid ${p.border};` : ""}`}>
        <a href={p.href} style={`display:inline-block;padding:12px 20px;color:${p.color};text-decoration:none;font-weight:600`}>
          {p.children}
        </a>
      </td>
    </tr>
  </table>
);

/** Renders an email's HTML document. */
export async function renderEmail(element: ReturnType<FC>): Promise<string> {
  return `<!doctype html>${await element}`;
}
