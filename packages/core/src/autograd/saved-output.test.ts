// Ops whose VJP reads their own output (exp: dx = dy·y; sigmoid: dx = dy·y·(1 − y)) must
// notice when that output was modified in place before backward: the gradient would silently be
// computed from the new values. y is the root of backward here, so no later op's check on its
// input can catch the write: these tests fail if the engine stops checking the output's version.
import { expect } from 'chai';
import { AutogradError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { exp } from '../ops/elementwise/arithmetic.js';
import { sigmoid } from '../ops/activation/smooth.js';
import { noGrad } from './mode.js';

const f64 = (data: number[], requiresGrad = true): Tensor => tensor(data, { dtype: 'float64', requiresGrad });

describe('backward checks the saved output of an op for in-place modification', () => {
  it('exp: a write into y.data marked with markModified() makes backward throw', () => {
    const x = f64([0.5, -1]);
    const y = exp(x);
    noGrad(() => {
      y.data[0] = 100;
      y.markModified();
    });
    expect(() => y.backward(f64([2, 3], false))).to.throw(AutogradError, /the output of op 'exp' was modified in place after it was used \(version 0, now 1\)/);
    expect(x.grad).to.equal(null);
  });

  it('sigmoid: copy_ into a detached view (which shares the version counter) makes backward throw', () => {
    const x = f64([0.3, 0.7]);
    const y = sigmoid(x);
    y.detach().copy_(f64([0.9, 0.9], false));
    expect(() => y.backward(f64([1, 1], false))).to.throw(AutogradError, /the output of op 'sigmoid' was modified in place/);
  });

  it('an unmodified output gives the exact gradient (the check is not a false alarm)', () => {
    const x = f64([0.5, -1]);
    exp(x).backward(f64([2, 3], false));
    expect(Array.from(x.grad!.data)).to.deep.equal([2 * Math.exp(0.5), 3 * Math.exp(-1)]);
  });
});
