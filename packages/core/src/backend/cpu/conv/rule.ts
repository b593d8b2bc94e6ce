// The default way of choosing a conv algorithm: a fixed function of (product, geometry, dtype,
// thread count), computed from a table measured once and committed (rule-table.ts, written by
// bench/conv-rule.ts), so two processes always run the same algorithms: the same rounding, the
// same bits. The algorithm comes from the 1-thread rows at every thread count, so results do
// not depend on the thread count either; only whether a threaded engine keeps a conv's GEMMs on
// the calling thread (the '/1t' variants: the same bits, another speed) comes from the 2-thread
// rows, which serve every count above 1.
//
// Single timings on a shared machine are noisy, so a conv is not decided by its nearest grid
// point alone: the K nearest points (log scale over images, channels in and out per group,
// output positions and taps; same applicable algorithms) each give every algorithm's time
// relative to the default, weighted by 1 / (1 + squared distance) so a point measured at the
// conv's own geometry counts most, and the weighted geometric means are compared. The logarithms
// are core's portable ones: Math's round differently in browsers, which could flip a near tie.
import type { ConvProduct, ConvShape, RuleRow, RuleTable } from './types.js';
import { RULE_TABLE } from './rule-table.js';
import { portableLog, portableLog2 } from '../../../tensor/portable-math.js';

/** The suffix of a variant that runs its GEMMs on the calling thread only (threaded engines). */
export const SERIAL = '/1t';
/** Grid points consulted per decision. */
const RULE_NEIGHBOURS = 6;
/** An alternative must be this much faster than the default (as in benchmark mode). */
const RULE_MARGIN = 0.05;


const square = (v: number): number => v * v;

/** The set of applicable algorithms, in strategy-table order: rows are compared only within one. */
export function ruleSignature(applicable: readonly string[]): string {
  return applicable.join('+');
}

/** Per relative-time column of the rows, the weighted mean of log(percent / 100) over the nearest rows. */
function smoothedLogRatios(rows: readonly RuleRow[], s: ConvShape, columns: number): number[] | null {
  if (rows.length === 0) return null;
  const here = [s.n, s.cin / s.groups, s.cout / s.groups, s.S.positions, s.S.taps].map((v) => portableLog2(v));
  const near = rows
    .map((row, index) => ({ row, index, d2: here.reduce((sum, h, i) => sum + square(portableLog2(row[i]!) - h), 0) }))
    .sort((a, b) => a.d2 - b.d2 || a.index - b.index)
    .slice(0, RULE_NEIGHBOURS);
  const sums = new Array<number>(columns).fill(0);
  let weights = 0;
  for (const { row, d2 } of near) {
    const w = 1 / (1 + d2);
    weights += w;
    for (let c = 0; c < columns; c++) sums[c]! += w * portableLog(row[5 + c]! / 100);
  }
  return sums.map((v) => v / weights);
}

/**
 * The variant the rule runs for a conv whose applicable algorithms are `applicable` (default
 * first): the algorithm with the lowest smoothed time if it beats the default by RULE_MARGIN,
 * else the default; with threads, '/1t' appended where the calling thread alone measured faster.
 * `table` is for tests.
 */
export function ruleChoice(product: ConvProduct, s: ConvShape, applicable: readonly string[], threads: number, table: RuleTable = RULE_TABLE): string {
  const signature = ruleSignature(applicable);
  const logs = smoothedLogRatios(table[1][product][signature] ?? [], s, applicable.length - 1);
  let algorithm = applicable[0]!;
  let best = portableLog(1 - RULE_MARGIN);
  logs?.forEach((v, i) => {
    if (v < best) [algorithm, best] = [applicable[i + 1]!, v];
  });
  if (threads <= 1) return algorithm;
  const serial = smoothedLogRatios(table[2][product][signature] ?? [], s, 1);
  return serial !== null && serial[0]! < 0 ? algorithm + SERIAL : algorithm;
}
