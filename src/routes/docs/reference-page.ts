import { html, raw } from "hono/html";

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
};
type OpenApiDocument = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
};

const METHODS = ["get", "post", "put", "patch", "delete"];

/** A dependency-free, server-rendered reference of the OpenAPI document (no CDN script needed). */
export function renderReferencePage(doc: OpenApiDocument) {
  const byTag = new Map<string, Array<{ method: string; path: string; op: Operation }>>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const sections = [...byTag].map(
    ([tag, ops]) =>
      html`<section><h2 id="${tag}">${tag}</h2>${ops.map(
        ({ method, path, op }) => html`<article>
        <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${path}</code></h3>
        <p>${op.summary ?? ""}</p>
        ${op.parameters?.length ? html`<p><strong>Parameters:</strong> ${op.parameters.map((p) => html`<code>${p.name}</code> (${p.in}${p.required ? ", required" : ""}) `)}</p>` : ""}
        ${op.requestBody?.content?.["application/json"]?.schema ? html`<details><summary>Request body</summary><pre>${JSON.stringify(op.requestBody.content["application/json"].schema, null, 2)}</pre></details>` : ""}
        <p><strong>Responses:</strong> ${Object.entries(op.responses ?? {}).map(([status, r]) => html`<code>${status}</code> ${r.description ?? ""}; `)}</p>
      </article>`,
      )}</section>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} reference</title>
<style>${raw(`body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem;color:#1d1d1f}
h3{font-size:1rem;margin:1.2rem 0 .2rem}code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f5f5f7;padding:.75rem;overflow:auto}
.m{display:inline-block;min-width:4.5em;font-weight:700}.get{color:#0a7}.post{color:#06c}.patch,.put{color:#a60}.delete{color:#c22}
nav a{margin-right:1rem}`)}</style></head>
<body><h1>${doc.info.title} <small>${doc.info.version}</small></h1>
<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
<nav>${[...byTag.keys()].map((tag) => html`<a href="#${tag}">${tag}</a>`)}</nav>
${sections}</body></html>`;
}
