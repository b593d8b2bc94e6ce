// Picking a conv algorithm per shape. Each product (forward y = C·x, input gradient dx = Cᵀ·dy,
// filter gradient dW) has candidate strategies, the first of which (the gathered im2col + GEMM
// path) applies everywhere and is the default. All compute the same product but round
// differently, so the choice decides the bits of a result. Three modes (setConvTuning):
//   'rule' (default)  a fixed function of product, geometry, dtype and thread count, from a table
//                     measured once and committed (rule.ts): the same seed gives the same bits in
//                     every process (like cuDNN's heuristics with cudnn.benchmark off).
//   'benchmark'       the first float32 call of a geometry with enough work times every
//                     applicable candidate on its actual operands and keeps the fastest for that
//                     geometry and GEMM thread count (bounded LRU), like cudnn.benchmark: perhaps
//                     faster on this machine, but another process may pick differently.
//   'off'             the default everywhere.
// Either way a geometry's first call and all later ones run one algorithm (the decision is
// remembered), so a run resumed in the same process repeats the straight run bit for bit.
import { ArgumentError } from '../../../errors.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { recycle } from '../../../tensor/storage.js';
import { gemmThreads, withSerialGemm } from '../wasm/runtime.js';
import { settleAsyncTasks } from '../wasm/tasks.js';
import { directForward } from './direct.js';
import { flippedInputGrad } from './flipped.js';
import { gatheredFilterGrad, gatheredForward, gatheredInputGrad } from './gathered.js';
import { pointwiseFilterGrad, pointwiseForward, pointwiseInputGrad } from './pointwise.js';
import { SERIAL, ruleChoice } from './rule.js';
import { type ConvOperands, type ConvProduct, type ConvShape, type ConvStrategy, type FloatType, convShape, floatTypeOf } from './types.js';
import { winogradFilterGrad, winogradForward } from './winograd.js';
import { winograd4x4FilterGrad, winograd4x4Forward } from './winograd4x4.js';

// The candidates of each product, the default (gathered) first:
//   gathered   im2col + GEMM (dx: GEMM + col2im)         any geometry, any dtype
//   pointwise  GEMM per image straight on the planes      1×1, stride 1, no padding
//   direct     wasm direct conv, no im2col                float32, stride 1 (forward)
//   winograd   F(2×2, 3×3), 16 GEMMs on transformed tiles  float32, 3×3, stride 1, no dilation
//   winograd4x4  F(4×4, 3×3), 36 GEMMs                      the same geometries; fewer products, more rounding
//   flipped    dx as the forward conv of dy with the flipped filter (any forward strategy)  stride 1
const CANDIDATES: { [P in ConvProduct]: readonly ConvStrategy<P>[] } = {
  forward: [gatheredForward, pointwiseForward, directForward, winogradForward, winograd4x4Forward],
  inputGrad: [gatheredInputGrad, pointwiseInputGrad, flippedInputGrad],
  filterGrad: [gatheredFilterGrad, pointwiseFilterGrad, winogradFilterGrad, winograd4x4FilterGrad],
};

/** The candidates of `product`, default first (tests check every one against the explicit C). */
export function convStrategies<P extends ConvProduct>(product: P): readonly ConvStrategy<P>[] {
  return CANDIDATES[product] as readonly ConvStrategy<P>[];
}

/** Below this many FLOPs a conv is not worth timing: the default runs. */
export const TUNE_MIN_FLOPS = 2e6;
/**
 * Timed runs per candidate, after one untimed run each: a kernel's first calls pay for JIT
 * tier-up (wasm starts in a baseline compiler) and fresh pages, several times the steady cost.
 * The minimum is kept.
 */
const TUNE_ROUNDS = 2;
/** How much faster than the default an alternative must be to be chosen. */
const DEFAULT_MARGIN = 0.05;
const MAX_DECISIONS = 256;

const overrides: Record<ConvProduct, string> = { forward: 'auto', inputGrad: 'auto', filterGrad: 'auto' };

/**
 * Internal override for tests and benchmarks: run strategy `name` for `product` wherever it
 * applies (elsewhere the default), or 'auto' to choose by the tuning mode again.
 */
export function setConvStrategy(product: ConvProduct, name: string): void {
  const names = convStrategies(product).map((c) => c.name);
  if (name !== 'auto' && !names.includes(name)) throw new Error(`setConvStrategy: ${product} has strategies ${names.join(', ')} (or 'auto'), not '${name}'`);
  overrides[product] = name;
}

/**
 * How conv algorithms are chosen: 'rule' (a fixed, committed table: reproducible bits), 'benchmark' (time
 * the candidates per shape, as cudnn.benchmark) or 'off' (always the default im2col + GEMM).
 */
export type ConvTuning = 'rule' | 'benchmark' | 'off';
const TUNINGS: readonly ConvTuning[] = ['rule', 'benchmark', 'off'];
let tuning: ConvTuning = 'rule';

/**
 * How conv algorithms are chosen (see the file comment): 'rule' (default, reproducible across
 * processes), 'benchmark' (timed per geometry, may differ between processes) or 'off' (the
 * default algorithm everywhere); `true` and `false` are accepted for 'benchmark' and 'off'.
 * Changing the mode forgets the choices the previous mode made; choices given to
 * restoreConvChoices are kept and still apply in every mode.
 */
export function setConvTuning(mode: ConvTuning | boolean): void {
  const next = mode === true ? 'benchmark' : mode === false ? 'off' : mode;
  if (!TUNINGS.includes(next)) {
    throw new ArgumentError(`setConvTuning: mode must be one of 'rule', 'benchmark', 'off' (or true / false for 'benchmark' / 'off'), got ${typeof mode === 'string' ? `'${mode}'` : typeof mode === 'object' && mode !== null ? `an ${Array.isArray(mode) ? 'array' : 'object'}` : String(mode)}`);
  }
  if (next === tuning) return;
  tuning = next;
  for (const [key, d] of decisions) if (d.source !== 'restored') decisions.delete(key);
}

/** The current conv tuning mode (setConvTuning). */
export function convTuning(): ConvTuning {
  return tuning;
}

export interface ConvDecision {
  product: ConvProduct;
  key: string;
  winner: string;
  /** Who chose: the rule table, a measurement, or restoreConvChoices. */
  source: 'rule' | 'benchmark' | 'restored';
  /** Best time of each candidate, ms (measured decisions only). */
  times: Record<string, number>;
}

/** Least recently used first. */
const decisions = new Map<string, ConvDecision>();

/** The decisions made so far, least recently used first (for benchmarks and reports). */
export function convDecisions(): ConvDecision[] {
  return [...decisions.values()];
}

/**
 * The algorithm chosen for each conv geometry run so far (by the rule, a measurement or
 * restoreConvChoices), by key (product, dtype, GEMM threads and geometry). Saved with a
 * checkpoint and given to restoreConvChoices in a new process, it makes that process run the
 * same algorithms, so training continues with the same float rounding instead of whatever a
 * new measurement (or another version's rule table) picks.
 */
export function convChoices(): Record<string, string> {
  return Object.fromEntries([...decisions.values()].map((d) => [d.key, d.winner]));
}

/** Adopts choices from convChoices (replacing any made for the same keys); unknown algorithms throw. */
export function restoreConvChoices(choices: Readonly<Record<string, string>>): void {
  if (typeof choices !== 'object' || choices === null || Array.isArray(choices)) {
    throw new ArgumentError(`restoreConvChoices: choices must be an object of key -> algorithm (from convChoices()), got ${choices === null ? 'null' : Array.isArray(choices) ? 'Array' : typeof choices}`);
  }
  for (const [key, winner] of Object.entries(choices)) {
    if (typeof winner !== 'string') throw new ArgumentError(`restoreConvChoices: the algorithm of '${key}' must be a string, got ${typeof winner}`);
    const product = key.split(',')[0] as ConvProduct;
    if (!(product in overrides)) throw new ArgumentError(`restoreConvChoices: '${key}' is not a conv choice key (it starts with forward, inputGrad or filterGrad)`);
    const names = convStrategies(product).map((c) => c.name);
    if (!names.includes(winner.endsWith(SERIAL) ? winner.slice(0, -SERIAL.length) : winner)) throw new ArgumentError(`restoreConvChoices: ${product} has algorithms ${names.join(', ')}, not '${winner}' (key ${key})`);
    remember(key, { product, key, winner, source: 'restored', times: {} });
  }
}

/** Forgets all decisions (tests, or after a change of machine load). */
export function clearConvDecisions(): void {
  decisions.clear();
}

/** Whether a conv's algorithm is chosen at all (by rule or measurement): float32 with enough work. */
function chosen(s: ConvShape, dtype: FloatType): boolean {
  return dtype === 'float32' && convFlops(s) >= TUNE_MIN_FLOPS;
}

/**
 * The variant the rule picks for a key of convChoices(), with this version's table: a resumed
 * run can tell whether a checkpoint's choices are the ones the rule makes now.
 */
export function convRuleChoice(key: string): string {
  const [product, dtype, ...rest] = typeof key === 'string' ? key.split(',') : [];
  const v = rest.map(Number);
  if (!(String(product) in overrides) || (dtype !== 'float32' && dtype !== 'float64') || v.length !== 17 || !v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`convRuleChoice: key must be a key of convChoices() (product,dtype,threads and 16 geometry numbers), got ${JSON.stringify(key)}`);
  }
  // (The defaults never apply: the length was checked; they give the names type number.)
  const [threads = 0, n = 0, cin = 0, cout = 0, groups = 0, inH = 0, inW = 0, kH = 0, kW = 0, strideH = 0, strideW = 0, dilationH = 0, dilationW = 0, padTop = 0, padLeft = 0, outH = 0, outW = 0] = v;
  // The key leaves out the bottom and right padding: the least that yields the output size.
  const padBottom = Math.max(0, (outH - 1) * strideH + dilationH * (kH - 1) + 1 - inH - padTop);
  const padRight = Math.max(0, (outW - 1) * strideW + dilationW * (kW - 1) + 1 - inW - padLeft);
  const window = { inH, inW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padBottom, padLeft, padRight, outH, outW };
  const s = convShape({ n, cin, cout, groups, window });
  const usable = convStrategies(product as ConvProduct).filter((c) => c.applies(s, dtype)).map((c) => c.name);
  return chosen(s, dtype) ? ruleChoice(product as ConvProduct, s, usable, threads) : usable[0]!;
}

/** 2·N·Cout·(Cin/G)·taps·positions: the multiply-adds of any of the three products, doubled. */
export function convFlops(s: ConvShape): number {
  return 2 * s.n * s.cout * (s.cin / s.groups) * s.S.taps * s.S.positions;
}

// How many threads split the GEMMs changes which algorithm wins: the count is part of the key,
// so that keys mean the same in another process (restoreConvChoices).
function keyOf(product: ConvProduct, s: ConvShape, dtype: FloatType): string {
  const g = s.S.window;
  return [product, dtype, gemmThreads(), s.n, s.cin, s.cout, s.groups, g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW].join(',');
}

/** Sets key's entry as the most recently used, evicting the least recently used beyond MAX_DECISIONS. */
function remember(key: string, entry: ConvDecision): void {
  decisions.delete(key);
  decisions.set(key, entry);
  if (decisions.size > MAX_DECISIONS) decisions.delete(decisions.keys().next().value!);
}

/**
 * Runs `product` with the strategy chosen for this shape (see the file comment) into `out`
 * (shaped by convOutputShape; every element is written, its prior contents are arbitrary).
 */
export function runConv<P extends ConvProduct>(product: P, s: ConvShape, out: TypedArray, ...operands: ConvOperands[P]): void {
  const dtype = floatTypeOf(operands[0]);
  const usable = convStrategies(product).filter((c) => c.applies(s, dtype));
  const fallback = usable[0]!;
  const forced = overrides[product];
  if (forced !== 'auto') return runStrategy(product, usable.find((c) => c.name === forced) ?? fallback, s, out, ...operands);
  if (!chosen(s, dtype)) return runStrategy(product, fallback, s, out, ...operands);
  const variants = variantsOf(usable);
  if (variants.length === 1) return runStrategy(product, fallback, s, out, ...operands);
  const key = keyOf(product, s, dtype);
  const known = decisions.get(key);
  if (known !== undefined) {
    remember(key, known);
    return runVariant(product, variants.find((v) => v.name === known.winner) ?? variants[0]!, s, out, operands);
  }
  if (tuning === 'off') return runStrategy(product, fallback, s, out, ...operands);
  if (tuning === 'benchmark') return tune(product, key, variants, s, out, operands);
  const winner = ruleChoice(product, s, usable.map((c) => c.name), gemmThreads());
  remember(key, { product, key, winner, source: 'rule', times: {} });
  runVariant(product, variants.find((v) => v.name === winner) ?? variants[0]!, s, out, operands);
}

/**
 * Runs one strategy into `out`: its own kernel, or, for a rewrite (flipped), the forward conv it
 * returns, with the forward algorithm chosen for that conv.
 */
export function runStrategy<P extends ConvProduct>(product: P, strategy: ConvStrategy<P>, s: ConvShape, out: TypedArray, ...operands: ConvOperands[P]): void {
  if ('run' in strategy) return strategy.run(s, out, ...operands);
  const f = strategy.asForward(s, ...operands);
  runConv('forward', f.s, out, f.x, f.w, null);
  recycle(f.w, floatTypeOf(f.w));
}

/**
 * A candidate of the measurement: a strategy, on all GEMM threads or (name suffix SERIAL) with its
 * GEMMs on the calling thread only (the float32 task pipelines, pipeline.ts, use every thread
 * either way: there the two run alike). With one thread there is only the first kind.
 */
interface Variant<P extends ConvProduct> {
  name: string;
  strategy: ConvStrategy<P>;
  serial: boolean;
}

export { SERIAL };

function variantsOf<P extends ConvProduct>(usable: readonly ConvStrategy<P>[]): Variant<P>[] {
  const threaded = gemmThreads() > 1;
  return usable.flatMap((strategy) => [
    { name: strategy.name, strategy, serial: false },
    ...(threaded ? [{ name: strategy.name + SERIAL, strategy, serial: true }] : []),
  ]);
}

function runVariant<P extends ConvProduct>(product: P, v: Variant<P>, s: ConvShape, out: TypedArray, operands: ConvOperands[P]): void {
  withSerialGemm(v.serial, () => runStrategy(product, v.strategy, s, out, ...operands));
}

/**
 * Times the candidates on the operands and keeps each one's minimum. All write into the same
 * `out`, so after the untimed round no run pays for fresh pages (for outputs of several MB
 * that cost is as large as the differences measured). Round-robin in alternating order
 * (A B B A ...), so a load spike or a periodic cost (a GC every other run) hits them alike.
 * An alternative must beat the default by DEFAULT_MARGIN: a near tie is noise.
 * Records the decision; out ends holding the winner's result.
 */
function tune<P extends ConvProduct>(product: P, key: string, variants: readonly Variant<P>[], s: ConvShape, out: TypedArray, operands: ConvOperands[P]): void {
  const best = variants.map(() => Infinity);
  let last = 0;
  for (let r = 0; r <= TUNE_ROUNDS; r++) {
    for (let j = 0; j < variants.length; j++) {
      const i = (last = r % 2 === 0 ? j : variants.length - 1 - j);
      const t0 = performance.now();
      runVariant(product, variants[i]!, s, out, operands);
      settleAsyncTasks(); // a filter gradient may run in the background: time all of it
      if (r > 0) best[i] = Math.min(best[i]!, performance.now() - t0);
    }
  }
  let win = 0;
  best.forEach((ms, i) => {
    if (ms < best[win]! && ms < best[0]! * (1 - DEFAULT_MARGIN)) win = i;
  });
  const times = Object.fromEntries(variants.map((v, i) => [v.name, best[i]!]));
  remember(key, { product, key, winner: variants[win]!.name, source: 'benchmark', times });
  if (win !== last) runVariant(product, variants[win]!, s, out, operands);
}
