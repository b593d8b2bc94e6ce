// The default way of choosing a conv algorithm: a fixed function of (product, geometry, dtype,
// thread count), looked up in a table measured once and committed (rule-table.ts, written by
// bench/conv-rule.ts), so two processes always run the same algorithms: the same rounding, the
// same bits. The algorithm of a row comes from 1-thread measurements at every thread count, so
// results do not depend on the thread count either; only whether a threaded engine keeps a
// conv's GEMMs on the calling thread (the '/1t' variants: the same bits, another speed) comes
// from the 2-thread measurements, which serve every count above 1.
import type { ConvShape } from './gathered.js';
import { RULE_TABLE } from './rule-table.js';
import type { ConvProduct } from './strategy.js';

/** The suffix of a variant that runs its GEMMs on the calling thread only (threaded engines). */
export const SERIAL = '/1t';

/**
 * A measured grid point: images, input and output channels per group, output positions, taps,
 * and the chosen variant as an index into ruleVariants of the row's applicable algorithms.
 */
export type RuleRow = [n: number, cin: number, cout: number, positions: number, taps: number, variant: number];
/** Rows by thread count (1, or 2 for every count above 1), product and ruleSignature. */
export type RuleTable = Record<1 | 2, Record<ConvProduct, Record<string, RuleRow[]>>>;

/** The set of applicable algorithms, in strategy-table order: rows are compared only within one. */
export function ruleSignature(applicable: readonly string[]): string {
  return applicable.join('+');
}

/** The variants a row's index counts: each algorithm, and with threads each also on the calling thread alone. */
export function ruleVariants(applicable: readonly string[], threads: number): string[] {
  return threads > 1 ? applicable.flatMap((name) => [name, name + SERIAL]) : [...applicable];
}

/**
 * The variant the rule runs for a conv: the choice of the measured row nearest in log scale
 * over (images, channels in, channels out, output positions, taps) among rows with the same
 * applicable algorithms (the first of equally near rows); the default ('gathered') where no
 * row has them. `applicable` lists the strategies that apply here, default first.
 */
export function ruleChoice(product: ConvProduct, s: ConvShape, applicable: readonly string[], threads: number): string {
  const rows = RULE_TABLE[threads > 1 ? 2 : 1][product][ruleSignature(applicable)] ?? [];
  const here = [s.n, s.cin / s.groups, s.cout / s.groups, s.S.positions, s.S.taps].map(Math.log2);
  let best: RuleRow | null = null;
  let bestDistance = Infinity;
  for (const row of rows) {
    let d = 0;
    for (let i = 0; i < 5; i++) d += (Math.log2(row[i]!) - here[i]!) ** 2;
    if (d < bestDistance) [best, bestDistance] = [row, d];
  }
  return ruleVariants(applicable, threads)[best?.[5] ?? 0]!;
}
