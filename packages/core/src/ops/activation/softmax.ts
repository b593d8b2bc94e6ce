// softmax and logSoftmax along one dim, computed after subtracting the max (stable for any
// finite input, e.g. ±1000).
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { normalizeDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { mul, sub } from '../elementwise/binary.js';
import { exp } from '../elementwise/unary.js';
import { sum } from '../reduce/sum.js';

interface DimAttrs {
  dim: number;
}

/** Runs f on every line along `dim`: (data, offset of first element, length, stride). */
function forEachLine(x: Tensor, dim: number, f: (src: TypedArray, dst: TypedArray, start: number, n: number, stride: number) => void, out: TypedArray): void {
  const n = x.ndim === 0 ? 1 : x.shape[dim]!;
  let inner = 1;
  for (let d = dim + 1; d < x.ndim; d++) inner *= x.shape[d]!;
  const outer = n * inner === 0 ? 0 : x.size / (n * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(x.data, out, o * n * inner + i, n, inner);
}

/** dst = (src − max) − log Σ e^{src − max} along the line (the max subtracted first, so nothing cancels). */
function logSoftmaxLine(src: TypedArray, dst: TypedArray, start: number, n: number, stride: number): void {
  const end = start + n * stride;
  let m = -Infinity;
  for (let j = start; j < end; j += stride) if (src[j]! > m) m = src[j]!;
  if (m === -Infinity) m = 0;
  let s = 0;
  for (let j = start; j < end; j += stride) s += Math.exp(src[j]! - m);
  const logS = Math.log(s);
  for (let j = start; j < end; j += stride) dst[j] = src[j]! - m - logS;
}

function softmaxLine(src: TypedArray, dst: TypedArray, start: number, n: number, stride: number): void {
  const end = start + n * stride;
  let m = -Infinity;
  for (let j = start; j < end; j += stride) if (src[j]! > m) m = src[j]!;
  if (m === -Infinity) m = 0;
  let s = 0;
  for (let j = start; j < end; j += stride) {
    const e = Math.exp(src[j]! - m);
    dst[j] = e;
    s += e;
  }
  for (let j = start; j < end; j += stride) dst[j]! /= s;
}

function lineForward(name: string, line: typeof softmaxLine) {
  return ({ x }: { x: Tensor }, { dim }: DimAttrs): Tensor => {
    assertFloat(name, 'x', x.dtype);
    const out = zeroFilled(x.shape, x.dtype);
    forEachLine(x, dim, line, out.data);
    return out;
  };
}

const dimCases = ({ fc, arb }: CaseTools) =>
  arb.shape({ rank: [1, 3] }).chain((shape) =>
    fc.record({ inputs: fc.record({ x: arb.tensorOfShape(shape, { min: -3, max: 3 }) }), attrs: fc.record({ dim: fc.integer({ min: 0, max: shape.length - 1 }) }) }),
  );

// y = softmax(x);  dx = y ⊙ (dy − Σ_dim dy ⊙ y)
const softmaxOp = defineOp({
  name: 'softmax',
  inputs: ['x'],
  forward: lineForward('softmax', softmaxLine),
  vjp: ({ dy, y }, { dim }) => ({ x: () => mul(y, sub(dy, sum(mul(dy, y), dim, true))) }),
  cases: dimCases,
});

// y = x − logΣexp(x);  dx = dy − eʸ ⊙ Σ_dim dy
const logSoftmaxOp = defineOp({
  name: 'logSoftmax',
  inputs: ['x'],
  forward: lineForward('logSoftmax', logSoftmaxLine),
  vjp: ({ dy, y }, { dim }) => ({ x: () => sub(dy, mul(exp(y), sum(dy, dim, true))) }),
  cases: dimCases,
});

export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxOp({ x }, { dim: normalizeDim('softmax', dim, x.ndim) });
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  return logSoftmaxOp({ x }, { dim: normalizeDim('logSoftmax', dim, x.ndim) });
}
