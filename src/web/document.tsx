import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";

/**
 * The frame of every page the Worker renders: mobile viewport, one inline stylesheet (with the
 * response's CSP nonce when it has one) and any extra meta tags such as robots or referrer.
 */
export const Document: FC<{ title: string; style: string; nonce?: string | undefined; meta?: Record<string, string>; children: Child }> = (
  p,
) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      {Object.entries(p.meta ?? {}).map(([name, content]) => (
        <meta name={name} content={content} />
      ))}
      <title>{p.title}</title>
      <style nonce={p.nonce}>{raw(p.style)}</style>
    </head>
    <body>{p.children}</body>
  </html>
);
