// Line charts as a self-contained SVG (no browser or plotting library needed): panels side by
// side, each with its series, grid, ticks and a legend in the top margin.

/** One line of a Panel. */
export interface Series {
  /** Its legend entry. */
  name: string;
  /** Stroke color, any SVG color ('#1f77b4'). */
  color: string;
  /** [x, y] points; x is usually the (fractional) epoch. */
  points: readonly (readonly [number, number])[];
  /** Stroke width (default 1.8). */
  width?: number;
}

/** One chart of renderChart: a title, a y axis and the lines drawn on it. */
export interface Panel {
  /** Shown above the chart. */
  title: string;
  /** The y axis' label. */
  yLabel: string;
  /** The lines, drawn in order, each with a legend entry (points get dots when a line has at most 60). */
  series: readonly Series[];
  /** Fixed y range; derived from the data when omitted. */
  yRange?: readonly [number, number];
}

const W = 520;
const H = 320;
const M = { left: 60, right: 20, top: 50, bottom: 44 };

/** Panels side by side in one SVG document. */
export function renderChart(panels: readonly Panel[], xLabel = 'epoch'): string {
  const body = panels.map((p, i) => `<g transform="translate(${i * W},0)">${renderPanel(p, xLabel)}</g>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W * panels.length}" height="${H}" viewBox="0 0 ${W * panels.length} ${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${body}
</svg>
`;
}

function renderPanel(panel: Panel, xLabel: string): string {
  // Loops, not Math.min(...xs): a run's per-step series can exceed the engine's argument limit.
  let [xMin, xMax, yMin, yMax] = [0, 1, Infinity, -Infinity];
  for (const s of panel.series) {
    for (const [x, y] of s.points) {
      [xMin, xMax] = [Math.min(xMin, x), Math.max(xMax, x)];
      if (Number.isFinite(y)) [yMin, yMax] = [Math.min(yMin, y), Math.max(yMax, y)];
    }
  }
  const [x0, x1] = padRange(xMin, xMax, 0);
  const [y0, y1] = panel.yRange ?? padRange(yMin, yMax, 0.05);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number): number => M.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number): number => M.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const out: string[] = [];
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escape(panel.title)}</text>`);
  for (const t of ticks(y0, y1, 5)) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${formatTick(t)}</text>`);
  }
  for (const t of ticks(x0, x1, 8)) {
    out.push(`<text x="${sx(t).toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle">${escape(xLabel)}</text>`);
  out.push(`<text transform="translate(14,${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>`);
  panel.series.forEach((s, i) => {
    const pts = s.points.filter((p) => Number.isFinite(p[1]));
    if (pts.length > 0) {
      const d = pts.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.8}"/>`);
      if (pts.length <= 60) for (const p of pts) out.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    }
    // The legend sits in the top margin, one entry per series from the right, clear of the curves.
    const lx = M.left + pw - 90 * (panel.series.length - i);
    const ly = M.top - 10;
    out.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 25}" y="${ly}">${escape(s.name)}</text>`);
  });
  return out.join('\n');
}

function padRange(lo: number, hi: number, frac: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-12) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * frac;
  return [lo - pad, hi + pad];
}

function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function formatTick(t: number): string {
  return Math.abs(t) >= 1000 || (Math.abs(t) < 0.01 && t !== 0) ? t.toExponential(1) : String(Number(t.toPrecision(4)));
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
