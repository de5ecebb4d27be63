import type { NamespaceRecord, RequestRecord } from './debug-record';
import { escapeHtml as e } from './html-escape';

/** Wraps a page body; no script and no inline style (the CSP allows neither). */
function layout(base: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title>
<link rel="stylesheet" href="${e(base)}/panel.css"></head>
<body>${body}</body></html>`;
}

function json(value: unknown): string {
  return value === undefined ? '' : `<pre>${e(JSON.stringify(value, null, 2))}</pre>`;
}

/**
 * The list of recorded requests, newest first. Every value is escaped.
 *
 * @internal
 */
export function listPage(base: string, records: RequestRecord[]): string {
  const rows = records
    .map((r) => {
      const touched = r.namespaces.filter((n) => n.touched).map((n) => n.namespace);
      return `<tr class="request"><td><a href="${e(base)}/requests/${r.id}">#${r.id}</a></td>
<td>${e(r.time)}</td><td>${e(r.method)}</td><td class="path">${e(r.path)}</td>
<td>${r.status}</td><td>${e(r.durationMs)} ms</td><td>${e(touched.join(', ') || '—')}</td></tr>`;
    })
    .join('\n');
  return layout(
    base,
    'Sessions: recent requests',
    `<h1>Sessions: recent requests</h1>
<table><thead><tr><th>#</th><th>Time</th><th>Method</th><th>Path</th><th>Status</th><th>Duration</th><th>Touched</th></tr></thead>
<tbody>${rows || '<tr><td colspan="7">No request recorded yet.</td></tr>'}</tbody></table>`,
  );
}

function keyRows(ns: NamespaceRecord): string {
  const before = ns.before ?? {};
  const after = ns.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (keys.length === 0) {
    return '<tr><td colspan="3">No data.</td></tr>';
  }
  return keys
    .map((key) => {
      const change = ns.added.includes(key)
        ? 'added'
        : ns.removed.includes(key)
          ? 'removed'
          : ns.changed.includes(key)
            ? 'changed'
            : 'same';
      const mark = change === 'same' ? '' : `<span class="change">${change}</span>`;
      return `<tr class="${change}" data-key="${e(key)}"><td class="key">${e(key)} ${mark}</td>
<td class="before">${json(before[key])}</td><td class="after">${json(after[key])}</td></tr>`;
    })
    .join('\n');
}

function fact(label: string, value: unknown): string {
  return `<dt>${e(label)}</dt><dd>${e(value ?? '—')}</dd>`;
}

function namespaceCard(ns: NamespaceRecord): string {
  const outcomes =
    ns.commit.length === 0
      ? '<span class="outcome">nothing</span>'
      : ns.commit.map((o) => `<span class="outcome">${e(o)}</span>`).join('');
  return `<section class="ns ${ns.touched ? 'touched' : 'untouched'}" data-namespace="${e(ns.namespace)}">
<h2>${e(ns.namespace)} <small>${ns.touched ? 'touched' : 'untouched'}</small></h2>
<dl class="facts">${fact('Factory', ns.factory)}${fact('Store', ns.store)}${fact('Carried in', ns.carrier)}
${fact('Sent by the client', ns.cookiePresent ? 'yes' : 'no')}${fact('Discriminator', ns.hasDiscriminator ? ns.mount : 'none')}
${fact('Invalid session', ns.invalidReason)}${fact('Id in (fingerprint)', ns.idIn)}${fact('Id out (fingerprint)', ns.idOut)}
<dt>Commit</dt><dd class="commit">${outcomes}</dd></dl>
${ns.note === null ? '' : `<p class="note">${e(ns.note)}</p>`}
<table class="data"><thead><tr><th>Key</th><th>Before</th><th>After</th></tr></thead>
<tbody>${keyRows(ns)}</tbody></table></section>`;
}

/**
 * One request: its namespaces side by side, each with the data before and after and the
 * changed keys marked. Every value is escaped.
 *
 * @internal
 */
export function detailPage(base: string, record: RequestRecord): string {
  const title = `${record.method} ${record.path} → ${record.status}`;
  return layout(
    base,
    `Sessions: #${record.id}`,
    `<p><a href="${e(base)}">← all requests</a></p>
<h1>#${record.id} ${e(title)}</h1><p>${e(record.time)} · ${e(record.durationMs)} ms</p>
<div class="namespaces">${record.namespaces.map(namespaceCard).join('\n')}</div>`,
  );
}
