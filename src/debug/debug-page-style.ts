/**
 * The panel's stylesheet, served from `<path>/panel.css` so the pages' Content-Security-Policy
 * needs no inline style.
 *
 * @internal
 */
export const PANEL_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin: 0 0 .4rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f3; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.35 ui-monospace, monospace; }
.namespaces { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.ns { background: #fff; border: 1px solid #ccc; border-radius: 6px; padding: .8rem; }
.ns.untouched { opacity: .75; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0 0 .6rem; }
.facts dt { color: #666; } .facts dd { margin: 0; }
tr.added { background: #e7f7e9; } tr.removed { background: #fbe9e9; } tr.changed { background: #fff4d6; }
.change { font-weight: 600; font-size: 12px; }
.note { color: #555; font-style: italic; }
.outcome { display: inline-block; padding: 0 .4rem; border-radius: 3px; background: #e8eefc; margin-right: .2rem; }
`;
