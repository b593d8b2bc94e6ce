import { expect } from 'chai';
import { DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';
import { layerNorm } from './layer-norm.js';
import { localResponseNorm } from './local-response-norm.js';
import { type NormalizeAttrs, normalize } from './normalize.js';

// layerNorm without affine parts and its checks (values from PyTorch 1.13, float64), and the
// statistics normalize caches per input for its backward.
const f64 = (v: number[] | number[][] | number[][][]) => tensor(v, { dtype: 'float64' });

function expectClose(actual: number[], expected: number[], tol = 1e-14): void {
  expect(actual.length).to.equal(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `element ${i}: ${a} vs ${expected[i]}`).to.be.at.most(tol));
}

describe('layerNorm', () => {
  const x = () => f64([[1, 2, 4], [0, 3, 9]]);

  it('normalises without weight, and with only a bias', () => {
    expectClose((layerNorm(x(), 3).toArray() as number[][]).flat(), [-1.069041531450298, -0.2672603828625746, 1.3363019143128718, -1.069044585848128, -0.267261146462032, 1.33630573231016]);
    expectClose((layerNorm(x(), [3], null, f64([1, 0, -1])).toArray() as number[][]).flat(), [-0.0690415314502979, -0.2672603828625746, 0.3363019143128718, -0.06904458584812789, -0.267261146462032, 0.3363057323101599]);
  });

  it('checks normalizedShape against the trailing dims and x\'s dtype', () => {
    const msg = (s: string) => `layerNorm: normalizedShape ${s} must be non-empty and match the trailing dims of x [2,3]`;
    expect(() => layerNorm(x(), [])).to.throw(ShapeError, msg('[]'));
    expect(() => layerNorm(x(), [1, 2, 3])).to.throw(ShapeError, msg('[1,2,3]'));
    expect(() => layerNorm(x(), [2])).to.throw(ShapeError, msg('[2]'));
    expect(layerNorm(x(), [2, 3]).shape).to.deep.equal([2, 3]);
    expect(() => layerNorm(tensor([[1, 2]], { dtype: 'int32' }), 2)).to.throw(DTypeError, /^layerNorm: x must be a floating-point tensor/);
  });
});

describe('normalize statistics cache', () => {
  const values = [[[1, 2, 4], [0, 3, 9]], [[5, -1, 2], [7, 7, 0]]];
  const weights = f64([[[1, 2, 3], [4, 5, 6]], [[-1, 0.5, 2], [3, -2, 1]]]);

  function gradOf(attrs: NormalizeAttrs, other?: NormalizeAttrs): number[] {
    const x = f64(values).requiresGrad_();
    const y: Tensor = normalize(x, attrs);
    // A later normalize of the same x over other groups replaces the cached statistics.
    if (other !== undefined) normalize(x, other);
    sum(mul(y, weights)).backward();
    return (x.grad!.toArray() as number[][][]).flat(2);
  }

  const ranges: NormalizeAttrs[] = [
    { groupStart: 0, groupEnd: 1, eps: 1e-5 },
    { groupStart: 0, groupEnd: 2, eps: 1e-5 },
    { groupStart: 1, groupEnd: 2, eps: 1e-5 },
  ];
  for (const a of ranges) {
    for (const b of ranges) {
      if (a === b) continue;
      it(`backward of groups ${a.groupStart}..${a.groupEnd} uses its own statistics after a normalize over ${b.groupStart}..${b.groupEnd}`, () => {
        expectClose(gradOf(a, b), gradOf(a), 1e-12);
      });
    }
  }
});

describe('localResponseNorm and normalize edges', () => {
  it('localResponseNorm accepts size 1 (PyTorch values) and checks x', () => {
    const y = localResponseNorm(tensor([[[[1, 2]], [[3, -4]]]], { dtype: 'float64' }), 1);
    expectClose((y.toArray() as number[][][][]).flat(3), [0.9999250065618985, 1.999400209923029, 2.997976593372992, -3.9952067101587616], 1e-15);
    expect(() => localResponseNorm(tensor([[[1]]], { dtype: 'int32' }), 1)).to.throw(DTypeError, /^localResponseNorm: x must be a floating-point tensor/);
  });

  it('normalize names itself for integer input', () => {
    expect(() => normalize(tensor([[1, 2]], { dtype: 'int32' }), { groupStart: 0, groupEnd: 1, eps: 1e-5 })).to.throw(DTypeError, /^normalize: x must be a floating-point tensor/);
  });
});

describe('normalize in float64 at sizes where float32 takes WebAssembly', () => {
  it('keeps float64 precision (4,096 elements)', () => {
    const values = Array.from({ length: 4096 }, (_, i) => 1 + ((i * 37) % 101) * 1e-9);
    const y = layerNorm(rows(values), 2048);
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const row = values.slice(r * 2048, (r + 1) * 2048);
      const mean = row.reduce((a, v) => a + v, 0) / 2048;
      const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / 2048;
      for (const v of row) expected.push((v - mean) / Math.sqrt(variance + 1e-5));
    }
    expectClose((y.toArray() as number[][]).flat(), expected, 1e-9);
  });
});

/** The values as a float64 [2, 2048] tensor. */
function rows(values: number[]): Tensor {
  return tensor([values.slice(0, 2048), values.slice(2048)], { dtype: 'float64' });
}
