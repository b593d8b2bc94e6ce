// Reductions over a set of dims: the output index of each input element advances with
// strides that are 0 along reduced dims, so one loop serves every combination of dims.
import type { TypedArray } from '../tensor/dtype.js';
import { mapStrided } from './elementwise.js';

/** Strides into the reduced output for each input dim (0 along reduced dims). */
function reducedStrides(shape: readonly number[], dims: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (dims.includes(i)) continue;
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

function inputStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** out (pre-filled with the identity) ⊕= x over dims. */
export function reduceInto(
  x: TypedArray,
  shape: readonly number[],
  dims: readonly number[],
  out: TypedArray,
  combine: (acc: number, v: number) => number,
): void {
  if (x.length === 0) return;
  const outStrides = reducedStrides(shape, dims);
  // Walk the input in order; the "operands" are the output (strided) and the input (contiguous).
  mapStrided([out, x], [outStrides, inputStrides(shape)], shape, (offsets, _o, len, steps) => {
    let io = offsets[0]!;
    let ix = offsets[1]!;
    const so = steps[0]!;
    if (so === 0) {
      let acc = out[io]!;
      for (let j = 0; j < len; j++, ix++) acc = combine(acc, x[ix]!);
      out[io] = acc;
    } else {
      for (let j = 0; j < len; j++, io += so, ix++) out[io] = combine(out[io]!, x[ix]!);
    }
  });
}

export function sumInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void {
  reduceInto(x, shape, dims, out, (acc, v) => acc + v);
}
