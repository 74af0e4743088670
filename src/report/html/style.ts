// The report's stylesheet, inlined into report.html (system fonts only: the file must work offline).

export const REPORT_CSS = `
:root { --ok: #1b7f3b; --bad: #b3261e; --muted: #666; --line: #ddd; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  margin: 0 auto; max-width: 1200px; padding: 24px; color: #222; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h4 { margin: 10px 0 4px; font-size: 13px; }
.runs { margin: 0 0 12px; padding-left: 20px; color: var(--muted); }
.runs b { color: #222; }
.warnings { background: #fff7e0; border: 1px solid #f0d48a; padding: 8px 14px; border-radius: 4px; }
.warnings ul { margin: 4px 0; padding-left: 20px; }
table.cmp { border-collapse: collapse; margin: 8px 0 4px; font-variant-numeric: tabular-nums; }
table.cmp th, table.cmp td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; }
table.cmp th { background: #f5f6f8; }
table.cmp td.num { text-align: right; white-space: nowrap; }
table.cmp td.win { color: var(--ok); font-weight: bold; }
table.cmp td.tie { color: var(--muted); }
table.cmp td .ci { color: var(--muted); font-size: 12px; white-space: nowrap; }
#summary .lead { font-size: 16px; margin: 6px 0 8px; }
#summary .effects-title { margin: 8px 0 2px; }
#summary ul.effects { margin: 0 0 10px; padding-left: 20px; }
#summary li.significant { font-weight: bold; }
table.summary { border-collapse: collapse; margin: 8px 0 4px; }
table.summary th, table.summary td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; }
table.summary th { background: #f5f6f8; }
table.summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary td.win { color: var(--ok); font-weight: bold; }
table.summary tr.total td { font-weight: bold; }
.note { color: var(--muted); font-size: 12px; max-width: 900px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; margin: 12px 0; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 4px; padding: 6px; background: #fff; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
.drill-controls { display: flex; gap: 18px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
#drill-count { color: var(--muted); }
table.docs { border-collapse: collapse; width: 100%; font-size: 13px; }
table.docs th, table.docs td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.docs tr.doc { cursor: pointer; }
table.docs tr.doc:hover { background: #f3f7fb; }
table.docs tr.disagree td:first-child { border-left: 3px solid var(--accent); }
table.docs td.ok { color: var(--ok); }
table.docs td.bad { color: var(--bad); }
.detail-box { background: #fafafa; padding: 8px 12px; border: 1px solid var(--line); border-radius: 4px; }
pre.prompt { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #eee; padding: 6px;
  max-height: 320px; overflow: auto; margin: 0; font-size: 12px; }
table.lls { border-collapse: collapse; margin-top: 8px; }
table.lls th, table.lls td { border: 1px solid var(--line); padding: 2px 8px; font-size: 12px; }
table.lls tr.gold td:first-child { font-weight: bold; }
table.lls td.pick { font-weight: bold; }
details summary { cursor: pointer; color: var(--accent); margin: 8px 0; }
`;
