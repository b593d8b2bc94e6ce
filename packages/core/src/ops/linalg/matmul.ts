import { defineOp } from '../../autograd/registry.js';
import { ShapeError, formatShape } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { backendOf } from '../../backend/index.js';
import { add } from '../elementwise/arithmetic.js';
import { cast } from '../elementwise/cast.js';
import { reduceGradTo } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';

export interface MatmulAttrs {
  /** Use the transpose of the last two dims of a / b. */
  transA: boolean;
  transB: boolean;
}

/** [rows, cols] of op(t) for a rank ≥ 2 tensor. */
function matrixDims(t: Tensor, trans: boolean): [number, number] {
  const r = t.shape[t.ndim - 2]!;
  const c = t.shape[t.ndim - 1]!;
  return trans ? [c, r] : [r, c];
}

// y = op(a)·op(b), batched over broadcast leading dims. For y = a·b: da = dy·bᵀ, db = aᵀ·dy;
// the transposed variants follow by transposing both sides.
const matmulOp = defineOp({
  name: 'matmul',
  inputs: ['a', 'b'],
  forward: ({ a, b }, attrs: MatmulAttrs) => batchedGemm(a, b, attrs),
  vjp: ({ dy, a, b }, { transA, transB }) => ({
    a: () => reduceGradTo(transA ? mm(b, dy, transB, true) : mm(dy, b, false, !transB), a),
    b: () => reduceGradTo(transB ? mm(dy, a, true, transA) : mm(a, dy, !transA, false), b),
  }),
  cases: ({ fc, arb }) =>
    fc
      .record({
        batch: arb.broadcastableShapes({ rank: [0, 2], maxDim: 3 }),
        m: fc.integer({ min: 1, max: 4 }),
        k: fc.integer({ min: 1, max: 4 }),
        n: fc.integer({ min: 1, max: 4 }),
        transA: fc.boolean(),
        transB: fc.boolean(),
      })
      .chain(({ batch: [ba, bb], m, k, n, transA, transB }) =>
        fc.record({
          inputs: fc.record({
            a: arb.tensorOfShape([...ba, ...(transA ? [k, m] : [m, k])]),
            b: arb.tensorOfShape([...bb, ...(transB ? [n, k] : [k, n])]),
          }),
          attrs: fc.constant({ transA, transB }),
        }),
      ),
});

function mm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  return matmulOp({ a, b }, { transA, transB });
}

function batchedGemm(a: Tensor, b: Tensor, { transA, transB }: MatmulAttrs): Tensor {
  assertFloat('matmul', 'a', a.dtype);
  assertFloat('matmul', 'b', b.dtype);
  const [m, k] = matrixDims(a, transA);
  const [k2, n] = matrixDims(b, transB);
  if (k !== k2) {
    throw new ShapeError(`matmul: inner dimensions differ: a ${formatShape(a.shape)} has ${k} columns but b ${formatShape(b.shape)} has ${k2} rows`);
  }
  const batch = broadcastShapes('matmul (batch dims)', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dtype = promoteTypes(a.dtype, b.dtype);
  const A = a.dtype === dtype ? a : cast(a, dtype);
  const B = b.dtype === dtype ? b : cast(b, dtype);
  const out = zeroFilled([...batch, m, n], dtype, a.device);
  const aStrides = broadcastStrides(a.shape.slice(0, -2), batch).map((s) => s * a.shape[a.ndim - 2]! * a.shape[a.ndim - 1]!);
  const bStrides = broadcastStrides(b.shape.slice(0, -2), batch).map((s) => s * b.shape[b.ndim - 2]! * b.shape[b.ndim - 1]!);
  const batchStrides = stridesOf(batch);
  const aCols = a.shape[a.ndim - 1]!;
  const bCols = b.shape[b.ndim - 1]!;
  // Where each product's a and b start: the batch index spread over the broadcast batch dims.
  const count = sizeOf(batch);
  const aOffsets = new Array<number>(count);
  const bOffsets = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let aOff = 0;
    let bOff = 0;
    for (let d = 0, rest = i; d < batch.length; d++) {
      const idx = Math.floor(rest / batchStrides[d]!);
      rest -= idx * batchStrides[d]!;
      aOff += idx * aStrides[d]!;
      bOff += idx * bStrides[d]!;
    }
    aOffsets[i] = aOff;
    bOffsets[i] = bOff;
  }
  backendOf(out).gemm.gemmBatched(
    m, n, k,
    { data: A.storage, offset: 0, rowStride: transA ? 1 : aCols, colStride: transA ? aCols : 1 }, aOffsets,
    { data: B.storage, offset: 0, rowStride: transB ? 1 : bCols, colStride: transB ? bCols : 1 }, bOffsets,
    out.storage, 0, false,
  );
  return out;
}

/**
 * Matrix product with NumPy/PyTorch semantics: 1-D operands are promoted to a row (a) or
 * column (b) and the added dim removed afterwards; leading dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both operands need at least 1 dim, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`);
  }
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const y = mm(a2, b2, false, false);
  if (a.ndim > 1 && b.ndim > 1) return y;
  const shape = [...y.shape];
  if (b.ndim === 1) shape.pop();
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return reshape(y, shape);
}

/** y = x·wᵀ (+ b): x [..., in], w [out, in], b [out]. */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  if (w.ndim !== 2) throw new ShapeError(`linear: weight must be 2-D [out, in], got ${formatShape(w.shape)}`);
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== w.shape[1]) {
    throw new ShapeError(`linear: input x ${formatShape(x.shape)} must end in ${w.shape[1]} features to match weight ${formatShape(w.shape)}`);
  }
  const y = mm(x.ndim === 1 ? reshape(x, [1, x.shape[0]!]) : x, w, false, true);
  const yy = x.ndim === 1 ? reshape(y, [w.shape[0]!]) : y;
  if (b === undefined || b === null) return yy;
  if (b.ndim !== 1 || b.shape[0] !== w.shape[0]) {
    throw new ShapeError(`linear: bias must have shape [${w.shape[0]}] to match weight ${formatShape(w.shape)}, got ${formatShape(b.shape)}`);
  }
  return add(yy, b);
}

export { mm as matmulTransposed };
