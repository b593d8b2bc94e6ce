// A small line chart on a canvas: axes with round ticks, lines and dot series, a legend. Sized
// by CSS, drawn at the device's pixel ratio.

export interface Series {
  label: string;
  color: string;
  points: readonly (readonly [x: number, y: number])[];
  /** Dots instead of a line (test results are few and far between). */
  dots?: boolean;
  width?: number;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  /** The x range shown: [0, xMax] (the run's total steps, so the line grows into the chart). */
  xMax: number;
  /** A fixed y range, or the data's (with some margin) when absent. */
  yRange?: [number, number];
  yFormat?: (v: number) => string;
  series: Series[];
}

const MARGIN = { left: 52, right: 12, top: 28, bottom: 34 };

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): void {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d')!;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '12px system-ui, sans-serif';

  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const [y0, y1] = spec.yRange ?? dataRange(spec.series);
  const xMax = Math.max(1, spec.xMax);
  const px = (x: number): number => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number): number => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const format = spec.yFormat ?? ((v: number) => String(Number(v.toPrecision(3))));

  g.fillStyle = '#222';
  g.fillText(spec.title, MARGIN.left, 16);
  g.strokeStyle = '#e4e4e4';
  g.lineWidth = 1;
  g.fillStyle = '#666';
  g.textAlign = 'right';
  for (const y of ticks(y0, y1, 5)) {
    g.beginPath();
    g.moveTo(MARGIN.left, py(y));
    g.lineTo(MARGIN.left + plotW, py(y));
    g.stroke();
    g.fillText(format(y), MARGIN.left - 6, py(y) + 4);
  }
  g.textAlign = 'center';
  for (const x of ticks(0, xMax, 6)) g.fillText(String(x), px(x), MARGIN.top + plotH + 16);
  g.fillText(spec.xLabel, MARGIN.left + plotW / 2, height - 4);
  g.strokeStyle = '#999';
  g.strokeRect(MARGIN.left, MARGIN.top, plotW, plotH);

  // Lines are clipped to the plot; dots are drawn whole (the last evaluation sits on its edge).
  for (const s of spec.series.filter((s) => !s.dots)) {
    g.save();
    g.beginPath();
    g.rect(MARGIN.left, MARGIN.top, plotW, plotH);
    g.clip();
    g.strokeStyle = s.color;
    g.lineWidth = s.width ?? 1.5;
    g.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? g.moveTo(px(x), py(y)) : g.lineTo(px(x), py(y))));
    g.stroke();
    g.restore();
  }
  for (const s of spec.series.filter((s) => s.dots)) {
    g.fillStyle = s.color;
    for (const [x, y] of s.points) {
      g.beginPath();
      g.arc(px(x), py(y), 3.5, 0, 2 * Math.PI);
      g.fill();
    }
  }

  // Legend, right-aligned above the plot.
  g.textAlign = 'left';
  let x = MARGIN.left + plotW;
  for (const s of [...spec.series].reverse()) {
    x -= g.measureText(s.label).width + 26;
    g.fillStyle = s.color;
    g.fillRect(x, 9, 14, 4);
    g.fillStyle = '#444';
    g.fillText(s.label, x + 18, 16);
  }
}

function dataRange(series: Series[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const [, y] of s.points) if (Number.isFinite(y)) [lo, hi] = [Math.min(lo, y), Math.max(hi, y)];
  if (lo === Infinity) return [0, 1];
  if (hi - lo < 1e-6) return [lo - 0.5, hi + 0.5];
  return [Math.max(0, lo - 0.05 * (hi - lo)), hi + 0.05 * (hi - lo)];
}

/** Round values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
