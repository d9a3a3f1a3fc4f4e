/**
 * The report's stylesheet, inlined: readable on a phone (one column, tables scroll sideways), in print (no
 * backgrounds needed to read the verdict, charts kept whole on a page), and without colour alone carrying meaning
 * (every verdict has a word or a mark too).
 */
export const REPORT_CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --fault: #cf222e22; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 980px; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
.verdict { border-radius: 8px; padding: 16px; border: 2px solid; margin: 12px 0; }
.verdict.passed { border-color: var(--ok); background: #dafbe1; } .verdict.failed, .verdict.revert-failed, .verdict.unfinished { border-color: var(--bad); background: #ffebe9; }
.verdict.aborted, .verdict.infrastructure-error, .verdict.invalid-input { border-color: var(--warn); background: #fff8c5; }
.verdict .word { font-weight: 700; font-size: 1.3rem; } .verdict p { margin: 6px 0 0; }
.meta { color: var(--muted); font-size: .9rem; } code { font-size: .9em; background: #f6f8fa; padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; } table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.mark { width: 1.5em; font-weight: 700; } .ok { color: var(--ok); } .bad { color: var(--bad); } .skip { color: var(--muted); }
.charts { display: grid; gap: 16px; } figure.chart { margin: 0; } figcaption { font-weight: 600; } figcaption small { font-weight: 400; color: var(--muted); }
svg { width: 100%; height: auto; display: block; } svg text { font-size: 11px; fill: var(--muted); }
svg .plot { fill: none; stroke: var(--line); } svg .grid { stroke: #eaeef2; }
svg .fault-window rect { fill: var(--fault); } svg .fault-window text { fill: var(--bad); font-weight: 600; }
svg .series { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; }
.s0 { stroke: #0969da; background: #0969da; } .s1 { stroke: #bc4c00; background: #bc4c00; } .s2 { stroke: #8250df; background: #8250df; }
svg .rto-span line { stroke: #1f2328; stroke-width: 2; } svg .rto-span text { fill: #1f2328; font-weight: 700; }
svg .lost-write line { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 4 3; }
.legend { font-size: .85rem; color: var(--muted); display: flex; gap: 12px; flex-wrap: wrap; } .swatch { display: inline-block; width: 14px; height: 3px; margin-right: 4px; vertical-align: middle; }
details pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 8px; font-size: .85rem; }
.signoff { border: 1px solid var(--line); padding: 12px; } .signoff td { height: 2.5em; }
@media (max-width: 600px) { body { padding: 8px; font-size: 15px; } th, td { padding: 4px; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; } .verdict { background: none !important; }
  figure.chart, table, .signoff { break-inside: avoid; } details { display: block; } details > summary { display: none; }
  details pre { background: none; } a { color: inherit; }
}
`;
