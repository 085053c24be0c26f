// Renders the OpenAPI document as one self-contained HTML page (no scripts, no CDN: nothing is
// fetched at run time): every endpoint with its auth, parameters, request schema and responses.
import type { JsonSchema, OpenApiDocument, OpenApiOperation } from "./openapi";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f6f6f6;padding:.6rem;overflow:auto;max-height:24rem}
section{border-top:1px solid #ddd;padding:.5rem 0}h2 code{background:#eef;padding:.1rem .4rem}
.m{font-weight:bold;text-transform:uppercase;margin-right:.5rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid #eee}`;

/** The docs page for `doc`. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, OpenApiOperation][]) {
      sections.push(renderOperation(method, path, op));
    }
  }
  const schemas = Object.entries(doc.components.schemas)
    .map(([name, schema]) => `<h3 id="schema-${esc(name)}">${esc(name)}</h3>${pre(schema)}`)
    .join("\n");
  return page(
    `${esc(doc.info.title)} ${esc(doc.info.version)}`,
    `<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(doc.openapi)}).</p>
${sections.join("\n")}
<section><h2>Schemas</h2>${schemas}</section>`,
  );
}

function renderOperation(method: string, path: string, op: OpenApiOperation): string {
  const params = op.parameters?.length
    ? `<h3>Parameters</h3><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${op.parameters
        .map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`)
        .join("")}</table>`
    : "";
  const body = op.requestBody
    ? `<h3>Request body</h3>${op.requestBody.description ? `<p>${esc(op.requestBody.description)}</p>` : ""}${Object.entries(op.requestBody.content)
        .map(([type, c]) => `<p><code>${esc(type)}</code></p>${pre(c.schema)}`)
        .join("")}`
    : "";
  const responses = `<h3>Responses</h3><table>${Object.entries(op.responses)
    .map(([status, r]) => `<tr><td><code>${esc(status)}</code></td><td>${esc(r.description)}${r.content ? ` <small>(${Object.entries(r.content).map(([t, c]) => `${esc(t)} ${schemaName(c.schema)}`).join(", ")})</small>` : ""}</td></tr>`)
    .join("")}</table>`;
  return `<section id="${esc(op.operationId)}"><h2><span class="m">${esc(method)}</span><code>${esc(path)}</code></h2>
<p><strong>${esc(op.summary)}</strong>${op.description ? ` ${esc(op.description)}` : ""}</p>
<p>Auth: ${op.security ? "operator token (<code>Authorization: Bearer &lt;token&gt;</code>)" : "none (public)"}</p>
${params}${body}${responses}</section>`;
}

function schemaName(schema: JsonSchema): string {
  const r = schema.$ref;
  if (typeof r === "string") {
    const name = r.split("/").pop() ?? r;
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  return "";
}

function pre(value: unknown): string {
  return `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
