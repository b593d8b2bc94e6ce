// Result records and the markdown table printed to stdout and kept in the JSON file.
import type { Timing } from './timing.js';

export interface Measured extends Timing {
  gflops: number | null;
  /** process.memoryUsage() right after the timed runs, MB. */
  memoryMB: { rss: number; heapUsed: number; arrayBuffers: number };
}
export type EngineResult = Measured | { unsupported: string } | { skipped: string } | { error: string };

export interface CaseResult {
  id: string;
  kind: 'conv' | 'train';
  label: string;
  mode: string;
  /** FLOPs of the timed work (conv cases only). */
  flops: number | null;
  engines: Record<string, EngineResult>;
  /** Speed-up factors peer median / tensorgrad median, keyed "tensorgrad-1t/tfjs-cpu" etc. */
  speedups: Record<string, number>;
}

export const isMeasured = (r: EngineResult | undefined): r is Measured => r !== undefined && 'medianMs' in r;

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const factor = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + '×';

export function speedups(r: CaseResult, ours: string[], peers: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of ours) {
    for (const p of peers) {
      const a = r.engines[o], b = r.engines[p];
      if (isMeasured(a) && isMeasured(b)) out[`${o}/${p}`] = b.medianMs / a.medianMs;
    }
  }
  return out;
}

/** Markdown table: median ms (GFLOP/s) per engine, then tensorgrad's speed-up over each peer. */
export function markdownTable(results: CaseResult[], ours: string[], peers: string[]): { table: string; notes: string[] } {
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
  const engines = [...ours, ...peers];
  const head = ['case', 'work', ...engines.map((e) => `${e} ms (GFLOP/s)`), ...peers.map((p) => `speed-up vs ${p} (${ours.map((o) => o.replace('tensorgrad-', '')).join(' / ')})`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    const ups = peers.map((p) => {
      const f = ours.map((o) => r.speedups[`${o}/${p}`]);
      return f.every((v) => v === undefined) ? '—' : f.map((v) => (v === undefined ? '—' : factor(v))).join(' / ');
    });
    lines.push(`| ${r.label} | ${r.mode} | ${engines.map((e) => cell(r.engines[e])).join(' | ')} | ${ups.join(' | ')} |`);
  }
  return { table: lines.join('\n'), notes };
}
