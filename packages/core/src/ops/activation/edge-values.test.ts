import { expect } from 'chai';
import { tensor } from '../../tensor/creation.js';
import { max, min } from '../reduce/max.js';
import { sum } from '../reduce/sum.js';
import { elu, leakyRelu, relu, relu6 } from './piecewise.js';
import { sigmoid, softplus } from './smooth.js';
import { logSoftmax, softmax } from './softmax.js';

// Edge values (NaN, ±Infinity, -0, thresholds, 0-d and empty inputs), expected values from
// PyTorch 1.13 in float64 unless noted.
const f64 = (v: number | number[] | number[][]) => tensor(v, { dtype: 'float64' });

describe('activation edge values', () => {
  it('relu: negatives and -Infinity to 0, NaN and +Infinity kept', () => {
    expect(relu(f64([-1, 0, 2, NaN, -Infinity, Infinity])).toArray()).to.deep.equal([0, 0, 2, NaN, 0, Infinity]);
  });

  it('relu gradient is 0 at x = 0, also for an infinite upstream gradient', () => {
    const x = f64([0, 1, -1]).requiresGrad_();
    relu(x).backward(f64([Infinity, 2, 3]));
    expect(x.grad!.toArray()).to.deep.equal([0, 2, 0]);
  });

  it('relu6 keeps NaN and -0, caps at 6', () => {
    const y = relu6(f64([-0, NaN, 6, 7, -1, 3])).toArray() as number[];
    expect(Object.is(y[0], -0)).to.equal(true);
    expect(y.slice(1)).to.deep.equal([NaN, 6, 6, 0, 3]);
  });

  it('sigmoid does not underflow to 0 at -710 (PyTorch float64 gives 0; e^-710 is the float64 value)', () => {
    expect(sigmoid(f64([-710])).toArray()).to.deep.equal([Math.exp(-710)]);
  });

  it('softplus is linear only strictly past the threshold, value and gradient', () => {
    const x = f64([20, 19.5, 21]).requiresGrad_();
    const y = softplus(x);
    y.backward(f64([1, 1, 1]));
    expectClose(y.toArray() as number[], [20.000000002061153, 19.500000003398267, 21]);
    expectClose(x.grad!.toArray() as number[], [0.9999999979388464, 0.9999999966017322, 1]);
    expectClose(softplus(f64([10, 9]), 2, 20).toArray() as number[], [10.000000001030577, 9.00000000761499]);
  });

  it('softmax and logSoftmax of a row holding +Infinity are NaN throughout (PyTorch)', () => {
    expect(softmax(f64([Infinity, 1]), 0).toArray()).to.deep.equal([NaN, NaN]);
    expect(logSoftmax(f64([Infinity, 1]), 0).toArray()).to.deep.equal([NaN, NaN]);
  });

  it('name the op and argument in dtype and dim errors', () => {
    const int = tensor([1, 2], { dtype: 'int32' });
    for (const [name, f] of [['relu', relu], ['leakyRelu', leakyRelu], ['elu', elu], ['softmax', (t: typeof int) => softmax(t, 0)]] as const) {
      expect(() => f(int), name).to.throw(new RegExp(`^${name}: x must be a floating-point tensor`));
    }
    expect(() => logSoftmax(f64([1, 2]), 1)).to.throw(/^logSoftmax: dim must be an integer/);
  });

  it('softmax of a 0-d tensor is 1, logSoftmax 0', () => {
    expect(softmax(f64(3), 0).item()).to.equal(1);
    expect(logSoftmax(f64(3), 0).item()).to.equal(0);
  });

  it('softmax over an all -Infinity row is NaN, other rows unaffected; empty input stays empty', () => {
    const y = softmax(f64([[0, Math.log(3)], [-Infinity, -Infinity], [-Infinity, 1]]), 1).toArray() as number[][];
    expectClose(y[0]!, [0.25, 0.75]);
    expect(y[1]).to.deep.equal([NaN, NaN]);
    expect(y[2]).to.deep.equal([0, 1]);
    expect(logSoftmax(f64([[-Infinity, 1]]), 1).toArray()).to.deep.equal([[-Infinity, 0]]);
    expect(softmax(tensor([], { dtype: 'float64' }), 0).shape).to.deep.equal([0]);
  });
});

describe('max/min start values, int32 sum', () => {
  it('float reductions start below/above any float, int32 ones at the int32 range ends', () => {
    expect(max(f64([-3e9])).item()).to.equal(-3e9);
    expect(min(f64([3e9])).item()).to.equal(3e9);
    expect(max(tensor([-2147483648, -2147483647], { dtype: 'int32' })).item()).to.equal(-2147483647);
    expect(min(tensor([2147483647, 2147483646], { dtype: 'int32' })).item()).to.equal(2147483646);
    expect(max(tensor([[3, 7], [7, 1]], { dtype: 'int32' }), 0).toArray()).to.deep.equal([7, 7]);
    const s = sum(tensor([[3, 7], [7, 1]], { dtype: 'int32' }), 1);
    expect(s.dtype).to.equal('int32');
    expect(s.toArray()).to.deep.equal([10, 8]);
  });
});

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).to.equal(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `element ${i}: ${a} vs ${expected[i]}`).to.be.at.most(1e-15 * Math.max(1, Math.abs(expected[i]!))));
}
