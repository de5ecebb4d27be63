import type { Session, SessionContainer } from '../../../src/index';
import { NAMESPACE_PURPOSE } from '../sample-sessions';
import { escapeHtml } from './html';

export type Theme = 'light' | 'dark';
export const THEMES: readonly Theme[] = ['light', 'dark'];

/** What the layout shows around a page: theme and flash messages (from `ui`), the namespace panel. */
export interface PageFrame {
  title: string;
  body: string;
  /** The request's container: the layout reads `ui` and lists what the request loaded. */
  sessions?: SessionContainer;
}

const CSS = `
:root { --bg: #fdfdfd; --fg: #1d1f21; --muted: #666; --box: #f1f3f5; --accent: #0b62c4; --ok: #e6f4ea; --err: #fdecea; }
body.dark { --bg: #16181b; --fg: #e6e6e6; --muted: #9aa0a6; --box: #23262b; --accent: #7ab7ff; --ok: #1e3b28; --err: #4a1f1f; }
body { background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
a { color: var(--accent); } nav a { margin-right: 1rem; }
.box { background: var(--box); padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; }
.flash { background: var(--ok); padding: .5rem 1rem; border-radius: 6px; }
.flash.error { background: var(--err); }
code { background: var(--box); padding: 0 .25rem; border-radius: 3px; }
table { border-collapse: collapse; } td, th { padding: .25rem .75rem .25rem 0; text-align: left; }
.muted { color: var(--muted); }
form.inline { display: inline; }
`;

/**
 * Renders a page. With `sessions`, it loads `ui` (every page shows the theme and pops pending
 * flash messages), then lists which namespaces this request loaded, so lazy loading is visible.
 */
export async function renderPage(frame: PageFrame): Promise<string> {
  let theme: Theme = 'light';
  let flashes = '';
  if (frame.sessions !== undefined) {
    const ui = await frame.sessions.get('ui');
    if (ui !== null) {
      theme = ui.get('theme') === 'dark' ? 'dark' : 'light';
      flashes = popFlashes(ui);
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)} · nestjs-session-multi sample</title>
<style>${CSS}</style>
</head>
<body class="${theme}">
<nav><a href="/">Home</a><a href="/theme">Theme</a><a href="/cart">Cart</a><a href="/secure">https only</a><a href="/account">Members</a><a href="/plain">No session</a></nav>
<h1>${escapeHtml(frame.title)}</h1>
${flashes}
${frame.body}
${await namespacePanel(frame.sessions)}
</body>
</html>`;
}

// Only pop when something is queued: a read-only page view then leaves the ui cookie alone.
function popFlashes(ui: Session): string {
  const out: string[] = [];
  for (const [queue, cls] of [
    ['', 'flash'],
    ['error', 'flash error'],
  ] as const) {
    if (ui.peekFlash(queue).length > 0) {
      for (const message of ui.popFlash(queue)) {
        out.push(`<p class="${cls}">${escapeHtml(message)}</p>`);
      }
    }
  }
  return out.join('\n');
}

async function namespacePanel(sessions: SessionContainer | undefined): Promise<string> {
  if (sessions === undefined) {
    return `<div class="box"><strong>Namespaces on this request:</strong> none asked for. This
response carries no <code>Set-Cookie</code> and no <code>Vary: Cookie</code>.</div>`;
  }
  const rows: string[] = [];
  for (const ns of sessions.namespaces) {
    let state = '<span class="muted">not loaded: its cookie was not verified or decoded</span>';
    if (sessions.isLoaded(ns)) {
      // Already mounted on this request: get() returns the cached result, it loads nothing.
      const session = await sessions.get(ns);
      state =
        session === null
          ? '<strong>null</strong>: its discriminator did not mount it on this request'
          : `<strong>loaded</strong> (${session.isNew ? 'new' : 'from its cookie'})`;
    }
    rows.push(
      `<tr><td><code>${escapeHtml(ns)}</code></td><td>${state}</td><td class="muted">${escapeHtml(NAMESPACE_PURPOSE[ns] ?? '')}</td></tr>`,
    );
  }
  return `<div class="box"><strong>Namespaces on this request</strong> (<code>req.sessionMulti.isLoaded(ns)</code>):
<table>${rows.join('\n')}</table></div>`;
}
