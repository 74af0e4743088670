import { expect, test } from 'vitest';
import { buildComparison } from '../../../src/report/compare/build.js';
import { escapeHtml, renderReportHtml, scriptJson } from '../../../src/report/html/report.js';
import { openRunFolder } from '../../../src/report/run-folder.js';

test('JSON embedded in a script element cannot close it or break JavaScript parsing', () => {
  const s = scriptJson({ text: '</script><!-- \u2028\u2029 & "q"' });
  expect(s).not.toMatch(/<|\u2028|\u2029/);
  expect(JSON.parse(s)).toEqual({ text: '</script><!-- \u2028\u2029 & "q"' });
  expect(escapeHtml('<b a="x">&</b>')).toBe('&lt;b a=&quot;x&quot;&gt;&amp;&lt;/b&gt;');
});

test('without shared sample logs the report says why there is no drill-down', () => {
  const S = 'tests/fixtures/runs/seed';
  const c = buildComparison([openRunFolder(`${S}/smollm-135m`), openRunFolder(`${S}/smollm-360m`)], {
    labels: ['<135M>', '360M'],
  });
  const html = renderReportHtml({ comparison: c, charts: [], drilldown: [] });
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain('No per-document drill-down');
  expect(html).toContain('&lt;135M&gt;');
  expect(html).not.toContain('<135M>');
  expect(html.match(/<table class="cmp"/g)).toHaveLength(3);
  // MMLU: 0.2672 ± 1.96 × 0.01 (the fixture's stderr) = [0.2476, 0.2868], to 3 significant digits
  expect(html).toContain('<td class="num">0.2672 <span class="ci">[0.248, 0.287]</span></td>');
  // no sample logs: the summary says nothing could be tested
  expect(html).toContain('<p class="lead">None of the 16 comparisons was tested (no sample logs).</p>');
});
