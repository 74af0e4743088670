// Renders Vega-Lite specs without a browser: vega-lite compiles to Vega, vega's headless View writes SVG,
// resvg rasterises the SVG to PNG. Axis numbers go through the report's formatter (format.ts).
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatNumber } from '../format.js';
import { NUMBER_FORMAT_FUNCTION } from './specs.js';

let formatRegistered = false;

/** Makes `yardstickNumber(x)` available to Vega expressions (axis labelExpr); once per process. */
function registerNumberFormat(): void {
  if (formatRegistered) return;
  vega.expressionFunction(NUMBER_FORMAT_FUNCTION, (x: unknown) => (typeof x === 'number' ? formatNumber(x, { trim: true }) : String(x)));
  formatRegistered = true;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  registerNumberFormat();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG at twice the SVG's size (sharp on high-density screens and in documents). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/**
 * The SVG as an inline HTML element: the namespace declarations are dropped (the HTML parser supplies
 * them), so the report contains no URL of any kind.
 */
export function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '');
}
