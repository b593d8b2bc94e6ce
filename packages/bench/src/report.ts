// Result records and the markdown table printed to stdout and kept in the JSON file.
import type { Timing } from './timing.js';

export interface Measured extends Timing {
  gflops: number | null;
  /** Right after the timed runs, MB: process.memoryUsage()'s rss, heapUsed, arrayBuffers; the worker's rss for PyTorch. */
  memoryMB: Record<string, number>;
}
export type EngineResult = Measured | { unsupported: string } | { skipped: string } | { error: string };

export interface CaseResult {
  id: string;
  kind: 'gemm' | 'conv' | 'train';
  label: string;
  mode: string;
  /** FLOPs of the timed work (GEMM and conv cases only). */
  flops: number | null;
  engines: Record<string, EngineResult>;
  /** Speed factors peer median / tensorgrad median (>1: tensorgrad faster), keyed "tensorgrad-1t/torch-1t" etc. */
  speedups: Record<string, number>;
}

/** A column of speed factors: tensorgrad engines against one peer each (pairs [ours, peer]). */
export interface Comparison { title: string; pairs: [string, string][] }

export const isMeasured = (r: EngineResult | undefined): r is Measured => r !== undefined && 'medianMs' in r;

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const factor = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + '×';

export function speedups(r: CaseResult, comparisons: Comparison[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [o, p] of comparisons.flatMap((c) => c.pairs)) {
    const a = r.engines[o], b = r.engines[p];
    if (isMeasured(a) && isMeasured(b)) out[`${o}/${p}`] = b.medianMs / a.medianMs;
  }
  return out;
}

/** Markdown table: median ms (GFLOP/s) per engine, then one column per comparison. */
export function markdownTable(results: CaseResult[], engines: string[], comparisons: Comparison[]): { table: string; notes: string[] } {
  const notes: string[] = [];
  const note = (tag: string, text: string): string => {
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `${tag}[${i + 1}]`;
  };
  const cell = (r: EngineResult | undefined): string => {
    if (r === undefined) return '';
    if (isMeasured(r)) return `${ms(r.medianMs)}${r.gflops === null ? '' : ` (${r.gflops.toFixed(2)})`}${r.reps < 3 ? ` n=${r.reps}` : ''}`;
    if ('unsupported' in r) return note('n/a', r.unsupported);
    if ('skipped' in r) return note('skipped', r.skipped);
    return note('error', r.error);
  };
  const head = ['case', 'work', ...engines.map((e) => `${e} ms (GFLOP/s)`), ...comparisons.map((c) => c.title)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    const ups = comparisons.map((c) => {
      const f = c.pairs.map(([o, p]) => r.speedups[`${o}/${p}`]);
      return f.every((v) => v === undefined) ? '—' : f.map((v) => (v === undefined ? '—' : factor(v))).join(' / ');
    });
    lines.push(`| ${r.label} | ${r.mode} | ${engines.map((e) => cell(r.engines[e])).join(' | ')} | ${ups.join(' | ')} |`);
  }
  return { table: lines.join('\n'), notes };
}
