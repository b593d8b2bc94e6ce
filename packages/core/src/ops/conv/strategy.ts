// Picking a conv algorithm per shape by measurement. Each product (forward y = C·x, input
// gradient dx = Cᵀ·dy, filter gradient dW) has candidate strategies, the first of which (the
// gathered im2col + GEMM path) applies everywhere and is the default. The first float32 call
// of a geometry with enough work times every applicable candidate on its actual operands and
// remembers the fastest for that geometry and GEMM engine (bounded LRU); later calls run the
// winner directly.
// All candidates compute the same product, so results differ only by float rounding.
import { gemmEngine } from '../../kernels/wasm/gemm-wasm.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConvShape } from './gathered.js';
import { convStrategies } from './strategies.js';

export type ConvProduct = 'forward' | 'inputGrad' | 'filterGrad';
export type FloatType = 'float32' | 'float64';

/** Operands of each product: forward (x, w, b), inputGrad (dy, w), filterGrad (x, dy). */
export interface ConvOperands {
  forward: [x: Tensor, w: Tensor, b: Tensor | null];
  inputGrad: [dy: Tensor, w: Tensor];
  filterGrad: [x: Tensor, dy: Tensor];
}

export interface ConvStrategy<P extends ConvProduct> {
  name: string;
  /** Whether this algorithm is correct (and available) for the shape and dtype. */
  applies(s: ConvShape, dtype: FloatType): boolean;
  run(s: ConvShape, ...operands: ConvOperands[P]): Tensor;
}

/** Below this many FLOPs a conv is not worth timing: the default runs. */
export const TUNE_MIN_FLOPS = 2e6;
/**
 * Timed runs per candidate, after one untimed run each: a kernel's first calls pay for JIT
 * tier-up (wasm starts in a baseline compiler) and fresh pages, several times the steady cost.
 * The minimum is kept.
 */
const TUNE_ROUNDS = 4;
/** How much faster than the default an alternative must be to be chosen. */
const DEFAULT_MARGIN = 0.05;
const MAX_DECISIONS = 256;

const overrides: Record<ConvProduct, string> = { forward: 'auto', inputGrad: 'auto', filterGrad: 'auto' };

/**
 * Internal override for tests and benchmarks: run strategy `name` for `product` wherever it
 * applies (elsewhere the default), or 'auto' to choose by measurement again.
 */
export function setConvStrategy(product: ConvProduct, name: string): void {
  const names = convStrategies(product).map((c) => c.name);
  if (name !== 'auto' && !names.includes(name)) throw new Error(`setConvStrategy: ${product} has strategies ${names.join(', ')} (or 'auto'), not '${name}'`);
  overrides[product] = name;
}

export interface ConvDecision {
  product: ConvProduct;
  key: string;
  winner: string;
  /** Best time of each candidate, ms. */
  times: Record<string, number>;
}

const decisions = new Map<string, ConvDecision>();

/** The decisions made so far, least recently used first (for benchmarks and reports). */
export function convDecisions(): ConvDecision[] {
  return [...decisions.values()];
}

/** Forgets all decisions (tests, or after a change of machine load). */
export function clearConvDecisions(): void {
  decisions.clear();
}

/** 2·N·Cout·(Cin/G)·taps·positions: the multiply-adds of any of the three products, doubled. */
export function convFlops(s: ConvShape): number {
  return 2 * s.n * s.cout * (s.cin / s.groups) * s.S.taps * s.S.positions;
}

// The GEMM engine (one or more threads) changes which algorithm wins: it is part of the key.
const engineIds = new WeakMap<object, number>();
let engines = 0;
function engineId(): number {
  const e = gemmEngine();
  if (e === null) return 0;
  let id = engineIds.get(e);
  if (id === undefined) {
    id = ++engines;
    engineIds.set(e, id);
  }
  return id;
}

function keyOf(product: ConvProduct, s: ConvShape, dtype: FloatType): string {
  const g = s.S.window;
  return [product, dtype, engineId(), s.n, s.cin, s.cout, s.groups, g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW].join(',');
}

/** Runs `product` with the strategy chosen for this shape (see the file comment). */
export function runConv<P extends ConvProduct>(product: P, s: ConvShape, ...operands: ConvOperands[P]): Tensor {
  const dtype = operands[0].dtype as FloatType;
  const usable = convStrategies(product).filter((c) => c.applies(s, dtype));
  const fallback = usable[0]!;
  const forced = overrides[product];
  if (forced !== 'auto') return (usable.find((c) => c.name === forced) ?? fallback).run(s, ...operands);
  if (usable.length === 1 || dtype !== 'float32' || convFlops(s) < TUNE_MIN_FLOPS) return fallback.run(s, ...operands);
  const key = keyOf(product, s, dtype);
  const known = decisions.get(key);
  if (known !== undefined) {
    decisions.delete(key);
    decisions.set(key, known);
    return (usable.find((c) => c.name === known.winner) ?? fallback).run(s, ...operands);
  }
  return tune(product, key, usable, s, operands);
}

/**
 * Times the candidates on the operands, round-robin so that a load spike on this shared
 * machine hits them alike, in alternating order (A B B A ...) so that a periodic cost (a GC
 * every other large allocation, fresh pages) does not always land on the same candidate;
 * keeps each one's minimum. An alternative must beat the default
 * by DEFAULT_MARGIN: a near tie is noise, and the default is the well-trodden path.
 * Records the decision and returns the winner's result.
 */
function tune<P extends ConvProduct>(product: P, key: string, usable: readonly ConvStrategy<P>[], s: ConvShape, operands: ConvOperands[P]): Tensor {
  const best = usable.map(() => Infinity);
  const results: Tensor[] = [];
  for (let r = 0; r <= TUNE_ROUNDS; r++) {
    for (let j = 0; j < usable.length; j++) {
      const i = r % 2 === 0 ? j : usable.length - 1 - j;
      const t0 = performance.now();
      results[i] = usable[i]!.run(s, ...operands);
      if (r > 0) best[i] = Math.min(best[i]!, performance.now() - t0);
    }
  }
  let win = 0;
  best.forEach((ms, i) => {
    if (ms < best[win]! && ms < best[0]! * (1 - DEFAULT_MARGIN)) win = i;
  });
  const times = Object.fromEntries(usable.map((c, i) => [c.name, best[i]!]));
  decisions.set(key, { product, key, winner: usable[win]!.name, times });
  if (decisions.size > MAX_DECISIONS) decisions.delete(decisions.keys().next().value!);
  return results[win]!;
}
