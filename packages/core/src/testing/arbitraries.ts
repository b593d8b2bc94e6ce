// fast-check arbitraries for shapes and tensors. Values come from a seeded generator (one
// drawn integer per tensor), so cases are cheap to generate and replay exactly; shapes shrink.
import fc from 'fast-check';
import type { DType } from '../tensor/dtype.js';
import { allocate } from '../tensor/storage.js';
import { Generator } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of `arb.shape` (and of the shape part of `arb.tensor`). */
export interface ShapeOptions {
  /** Exact rank or an inclusive [min, max] range (default [0, 4]). */
  rank?: number | readonly [number, number];
  /** Smallest size of one dim (default 1; 0 allows empty tensors). */
  minDim?: number;
  /** Largest size of one dim (default 4). */
  maxDim?: number;
}

/** An arbitrary of shapes: `rank` dims, each of size minDim..maxDim; shrinks toward fewer, smaller dims. */
export function shape(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const [minRank, maxRank] = typeof options.rank === 'number' ? [options.rank, options.rank] : options.rank ?? [0, 4];
  const dim = fc.integer({ min: options.minDim ?? 1, max: options.maxDim ?? 4 });
  return fc.array(dim, { minLength: minRank, maxLength: maxRank });
}

/** Two shapes that broadcast together: each dim of a common shape kept or set to 1, leading dims dropped. */
export function broadcastableShapes(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  const variant = (full: number[]): fc.Arbitrary<number[]> =>
    fc
      .tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length }))
      .map(([ones, drop]) => full.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
  return shape(options).chain((full) => fc.tuple(variant(full), variant(full)));
}

/** Options of the values of `arb.tensor` and `arb.tensorOfShape`. */
export interface ValueOptions {
  /** Element type (default float64, the dtype gradient checks run in). */
  dtype?: DType;
  /** Values are uniform in [min, max] (default [-2, 2]). */
  min?: number;
  /** Upper end of the value range (default 2). */
  max?: number;
  /** Keep every value at least `margin` away from these points (kinks such as 0 for relu). */
  awayFrom?: readonly number[];
  /** Smallest distance kept from each `awayFrom` point (default 0.05). */
  margin?: number;
}

/** A tensor of the given shape filled from a seeded generator. */
export function tensorOfShape(dims: readonly number[], options: ValueOptions = {}): fc.Arbitrary<Tensor> {
  return fc.integer({ min: 0, max: 0x7fffffff }).map((seed) => fillTensor(dims, seed, options));
}

/**
 * Options of `arb.tensor`: its shape (fixed or an arbitrary, else drawn as `arb.shape` would) and
 * its values.
 */
export interface TensorOptions extends ValueOptions, ShapeOptions {
  /** A fixed shape or an arbitrary of shapes (default: drawn from the ShapeOptions). */
  shape?: readonly number[] | fc.Arbitrary<number[]>;
}

/**
 * An arbitrary of tensors: a shape (fixed, drawn, or from the ShapeOptions), then values filled
 * from a seeded generator.
 */
export function tensor(options: TensorOptions = {}): fc.Arbitrary<Tensor> {
  const dims = options.shape === undefined ? shape(options) : Array.isArray(options.shape) ? fc.constant([...options.shape]) : (options.shape as fc.Arbitrary<number[]>);
  return dims.chain((d) => tensorOfShape(d, options));
}

/** The deterministic fill used by tensorOfShape (exposed for building fixtures by hand). */
export function fillTensor(dims: readonly number[], seed: number, options: ValueOptions = {}): Tensor {
  const { dtype = 'float64', min = -2, max = 2, awayFrom = [], margin = 0.05 } = options;
  const rng = new Generator(seed);
  const data = allocate(dtype, sizeOf(dims));
  for (let i = 0; i < data.length; i++) {
    let v = dtype === 'int32' ? rng.randint(Math.ceil(min), Math.floor(max) + 1) : rng.uniform(min, max);
    for (let tries = 0; tries < 100 && awayFrom.some((p) => Math.abs(v - p) < margin); tries++) v = rng.uniform(min, max);
    data[i] = v;
  }
  return new Tensor(data, dims);
}

/** A test case for an op whose inputs all share one shape and that takes no attributes. */
export function tensorCase<K extends string>(
  options: TensorOptions & { names: readonly K[] },
): fc.Arbitrary<{
  /** One tensor per name, all of one shape. */
  inputs: Record<K, Tensor>;
  /** No attributes. */
  attrs: Record<string, never>;
}> {
  const dims = options.shape === undefined ? shape(options) : Array.isArray(options.shape) ? fc.constant([...options.shape]) : (options.shape as fc.Arbitrary<number[]>);
  return dims.chain((d) =>
    fc.tuple(...options.names.map(() => tensorOfShape(d, options))).map((ts) => ({
      inputs: Object.fromEntries(options.names.map((n, i) => [n, ts[i]!])) as Record<K, Tensor>,
      attrs: {} as Record<string, never>,
    })),
  );
}
