import { expect } from 'chai';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkGrads } from '../../testing/check-grads.js';
import { fillTensor } from '../../testing/arbitraries.js';
import { erf as erfOf, erfc } from '../../backend/cpu/erf.js';
import { relu } from './piecewise.js';
import { activationFixture as fixture, activationFns as fns } from './activation.test-util.js';
import { logSoftmax, softmax } from './softmax.js';
import { ArgumentError } from '../../errors.js';

const close = (a: number, b: number, what: string): void => {
  expect(a, what).to.be.closeTo(b, 1e-14 * Math.max(1, Math.abs(b)) + 1e-300);
};

describe('activations against PyTorch 1.13 fixtures (values and derivatives, -1000..1000)', () => {
  for (const [name, f] of Object.entries(fns)) {
    it(name, () => {
      const x = tensor(fixture.x, { dtype: 'float64', requiresGrad: true });
      const y = f(x);
      const ref = fixture.fns[name]!;
      y.data.forEach((v, i) => close(v, ref.y[i]!, `${name}(${fixture.x[i]})`));
      y.backward(tensor(fixture.x.map(() => 1), { dtype: 'float64' }));
      x.grad!.data.forEach((v, i) => close(v, ref.dx[i]!, `${name}'(${fixture.x[i]})`));
    });
  }

  it('relu is max(x, 0) with gradient [x > 0]', () => {
    const x = tensor([-2, 0, 3], { dtype: 'float64', requiresGrad: true });
    const y = relu(x);
    expect([...y.data]).to.deep.equal([0, 0, 3]);
    y.backward(tensor([1, 1, 1], { dtype: 'float64' }));
    expect([...x.grad!.data]).to.deep.equal([0, 0, 1]);
  });
});

describe('erf', () => {
  it('matches known values to 1e-15', () => {
    const known: [number, number][] = [[0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3, 0.9999779095030014]];
    for (const [x, v] of known) {
      expect(erfOf(x)).to.be.closeTo(v, 1e-15);
      expect(erfOf(-x)).to.be.closeTo(-v, 1e-15);
    }
    expect(erfc(6)).to.be.closeTo(2.1519736712498913e-17, 1e-30);
    expect(erfc(10)).to.be.closeTo(2.088487583762545e-45, 1e-58);
  });
});

describe('softmax and logSoftmax', () => {
  it('stay finite and exact for ±1000 (PyTorch values)', () => {
    const x = tensor(fixture.softmax.x, { dtype: 'float64' });
    const check = (y: Tensor, ref: number[][]): void => ref.flat().forEach((v, i) => close(y.data[i]!, v, `element ${i}`));
    check(softmax(x, 1), fixture.softmax.softmax);
    check(logSoftmax(x, -1), fixture.softmax.logSoftmax);
    check(softmax(x, 0), fixture.softmax.softmax0);
  });

  it('rows of softmax sum to one and logSoftmax = log(softmax); second order checked', () => {
    const x = fillTensor([3, 4], 3, { min: -5, max: 5 });
    const y = softmax(x, 1);
    for (let r = 0; r < 3; r++) expect(y.data[4 * r]! + y.data[4 * r + 1]! + y.data[4 * r + 2]! + y.data[4 * r + 3]!).to.be.closeTo(1, 1e-15);
    logSoftmax(x, 1).data.forEach((v, i) => expect(v).to.be.closeTo(Math.log(y.data[i]!), 1e-14));
    checkGrads((t) => softmax(t, 0), [x], { order: 2 });
  });

  it('rejects a dim out of range', () => {
    expect(() => softmax(tensor([[1, 2]]), 2)).to.throw(ArgumentError, /softmax: dim must be an integer in \[-2, 1\] for a tensor of rank 2, got 2/);
  });
});

describe('relu (branch-free loops)', () => {
  it('keeps NaN, zeroes -inf and -0, passes +inf, and its gradient masks infinite and NaN dy', () => {
    const x = tensor([NaN, -Infinity, Infinity, -0, -1, 2, -3, 4], { dtype: 'float32', requiresGrad: true });
    const y = relu(x);
    expect([...y.data]).to.deep.equal([NaN, 0, Infinity, 0, 0, 2, 0, 4]);
    expect(Object.is(y.data[3], 0)).to.equal(true);
    y.backward(tensor([1, 1, 1, 1, Infinity, Infinity, NaN, NaN], { dtype: 'float32' }));
    expect([...x.grad!.data]).to.deep.equal([0, 0, 1, 0, 0, Infinity, 0, NaN]);
  });
});
