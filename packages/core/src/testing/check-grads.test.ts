import { expect } from 'chai';
import { ArgumentError, DTypeError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from '../ops/elementwise/arithmetic.js';
import { cast } from '../ops/elementwise/cast.js';
import { exp } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { GradCheckError, checkGrads } from './check-grads.js';

const f64 = (data: number[]): Tensor => tensor(data, { dtype: 'float64' });
// d/dt (t·t) = 2t, but detaching one factor gives the tape t: a deliberately wrong VJP.
const halfSquare = (t: Tensor): Tensor => mul(t, t.detach());

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('checkGrads never passes vacuously', () => {
  it('checks a float32 input on a float64 copy: the wrong VJP of the issue is caught', () => {
    const e = thrown(() => checkGrads(halfSquare, [tensor([0.3, 1])]));
    expect(e).to.be.instanceOf(GradCheckError);
    const g = e as GradCheckError;
    expect([g.order, g.input, g.element, g.direction]).to.deep.equal([1, 0, 0, null]);
    expect(g.numeric).to.be.closeTo(2 * g.analytic, 1e-6 * Math.abs(g.analytic));
    expect(g.message).to.contain('cast from float32').and.contain('input 0: Tensor(shape=[2], dtype=float64, [0.30000001192092896, 1])');
  });

  it('passes a right float32 gradient, reporting the comparisons and the cast', () => {
    const report = checkGrads((t) => mul(t, t), [tensor([0.3, 1])]);
    expect(report.comparisons).to.equal(2);
    expect(report.castToFloat64).to.deep.equal([0]);
    expect(checkGrads((t) => mul(t, t), [f64([0.3, 1])]).castToFloat64).to.deep.equal([]);
  });

  it('explains a float32-only f instead of comparing noise', () => {
    const roundsToFloat32 = (t: Tensor): Tensor => exp(cast(t, 'float32'));
    expect(() => checkGrads(roundsToFloat32, [f64([0.5])])).to.throw(ArgumentError, /f returned float32 for float64 inputs.*\{ dtype: x\.dtype \}/);
    const float32Only = (t: Tensor): Tensor => {
      if (t.dtype !== 'float32') throw new DTypeError(`myOp: x must be float32, got ${t.dtype}`);
      return exp(t);
    };
    const e = thrown(() => checkGrads(float32Only, [tensor([0.5])]));
    expect(e).to.be.instanceOf(ArgumentError);
    expect(e.message).to.match(/f failed on float64 copies of its float32 input\(s\) 0 .*f threw DTypeError: myOp: x must be float32/);
    expect(e.cause).to.be.instanceOf(DTypeError);
  });

  it('throws when nothing would be compared', () => {
    const labels = tensor([1, 2], { dtype: 'int32' });
    expect(() => checkGrads((t) => cast(t, 'float64'), [labels])).to.throw(ArgumentError, /no input has a gradient to check \(input dtypes: int32\)/);
    expect(() => checkGrads(halfSquare, [f64([1])], { wrt: [] })).to.throw(ArgumentError, /wrt selects no input/);
    expect(() => checkGrads(halfSquare, [f64([])])).to.throw(ArgumentError, /every input to differentiate is empty \(input 0 \[0\]\)/);
    expect(() => checkGrads((t) => mul(t, f64([])), [f64([2])])).to.throw(ArgumentError, /f returned an empty tensor \(shape \[0\]\)/);
    expect(() => checkGrads((a, b) => mul(a, b), [f64([1]), labels], { wrt: [1] })).to.throw(ArgumentError, /input 1, which is int32/);
    expect(() => checkGrads(halfSquare, [f64([1])], { wrt: [0, 0] })).to.throw(ArgumentError, /lists input 0 twice/);
  });

  it('rejects unknown or out-of-range options', () => {
    expect(() => checkGrads(halfSquare, [f64([1])], { rTol: 1e-3 } as object)).to.throw(ArgumentError, /unknown option 'rTol'.*did you mean 'rtol'/);
    expect(() => checkGrads(halfSquare, [f64([1])], { eps: 0 })).to.throw(ArgumentError, /eps must be a finite number > 0/);
    expect(() => checkGrads(halfSquare, [f64([1])], { directions: 0 })).to.throw(ArgumentError, /directions/);
    expect(() => checkGrads(halfSquare, [f64([1])], { order: 3 as 2 })).to.throw(ArgumentError, /order must be 1 or 2/);
  });

  it('names the order: a VJP that is right but not differentiable fails at order 2 only', () => {
    // Value x³ and first derivative 3x² (right), but the tape sees 3x² as a constant, so the
    // derivative of the derivative is 0 instead of 6x.
    const cube = (t: Tensor): Tensor => add(mul(mul(t, t), t).detach(), mul(sub(t, t.detach()), mul(mul(t, t), f64([3])).detach()));
    const x = f64([0.7, -1.3]);
    const report = checkGrads(cube, [x]);
    expect(report.comparisons).to.equal(2);
    const e = thrown(() => checkGrads(cube, [x], { order: 2 })) as GradCheckError;
    expect(e).to.be.instanceOf(GradCheckError);
    expect(e.order).to.equal(2);
    expect(e.message).to.match(/^checkGrads: order 2 \(the VJP of f's VJP.*\) is wrong for input 0 \(shape \[2\]\) at element \d: analytic .*, finite differences /);
  });

  it('checks large inputs along random directions, and names the direction', () => {
    const x = f64(Array.from({ length: 70 }, (_, i) => Math.sin(i)));
    expect(checkGrads((t) => sum(mul(t, t)), [x], { directions: 2 }).comparisons).to.equal(2);
    const e = thrown(() => checkGrads(halfSquare, [x])) as GradCheckError;
    expect([e.element, e.direction]).to.deep.equal([null, 0]);
    expect(e.message).to.contain('along random direction 0').and.contain('(70 values, row-major)');
  });
});
