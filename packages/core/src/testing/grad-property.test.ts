// Property-based gradient checks must fail loudly and legibly: the thrown message carries the
// checkGrads text, first-order errors come first, and shrinking keeps the kind of failure.
import { expect } from 'chai';
import * as fc from 'fast-check';
import { type OpDef, defineOp } from '../autograd/registry.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/elementwise/arithmetic.js';
import * as arb from './arbitraries.js';
import { GradCheckError } from './check-grads.js';
import { checkRegisteredOp } from './check-op.js';
import { checkGradsProperty } from './grad-property.js';

const scalar = (v: number, like: Tensor): Tensor => tensor(v, { dtype: like.dtype });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** The size of the input the message prints ('input 0: Tensor(shape=[2,1], ...'). */
function failingSize(message: string): number {
  const dims = /input 0: Tensor\(shape=\[([\d,]*)\]/.exec(message)![1]!;
  return dims === '' ? 1 : dims.split(',').reduce((p, d) => p * Number(d), 1);
}

describe('gradient checks as properties', () => {
  // Registered in before(), not at load: the registry-wide test must not list these wrong ops.
  let cube: OpDef;
  let cubeWrongForLists: OpDef;
  let cubeWrongForScalars: OpDef;
  before(() => {
    // x³/3 with first derivative x² (right), computed by an x² op whose VJP is 2x·(1 + off), so
    // the second order is off by `off` (8e-4: borderline, a few times the tolerance; 0.5: gross).
    // `wrongWhen` adds a gross first-order error (+dy) for some shapes.
    const cubeOp = (name: string, off: number, wrongWhen: (x: Tensor) => boolean, rank: [number, number]): OpDef => {
      const square = defineOp({
        name: `${name}.square`,
        inputs: ['x'],
        forward: ({ x }) => mul(x, x),
        vjp: ({ dy, x }) => ({ x: () => mul(dy, mul(x, scalar(2 * (1 + off), x))) }),
        cases: ({ arb: a }) => a.tensorCase({ names: ['x'] }),
      });
      return defineOp({
        name,
        inputs: ['x'],
        forward: ({ x }) => mul(mul(x, x), mul(x, scalar(1 / 3, x))),
        vjp: ({ dy, x }) => ({ x: () => (wrongWhen(x) ? add(mul(dy, square({ x }, {})), dy) : mul(dy, square({ x }, {}))) }),
        cases: ({ arb: a }) => a.tensorCase({ names: ['x'], rank }),
      }).def;
    };
    cube = cubeOp('test.cubeSecondOrderOff', 8e-4, () => false, [0, 2]);
    cubeWrongForLists = cubeOp('test.cubeWrongForLists', 0.5, (x) => x.size > 1, [0, 2]);
    cubeWrongForScalars = cubeOp('test.cubeWrongForScalars', 8e-4, (x) => x.size === 1, [1, 1]);
  });

  it('a failure names order, input, element, analytic vs numeric and the input values in the thrown message', () => {
    const e = thrown(() => checkRegisteredOp(cube, { seed: 1 }));
    expect(e).to.be.instanceOf(GradCheckError);
    expect((e as GradCheckError).order).to.equal(2);
    expect(e.message).to.match(
      /^checkRegisteredOp\(test\.cubeSecondOrderOff\): checkGrads: order 2 .* is wrong for input 0 \(shape \[[\d,]*\]\) at element \d+: analytic -?\d.*, finite differences -?\d/,
    );
    expect(e.message).to.match(/\n {2}input 0: Tensor\(shape=\[[\d,]*\], dtype=float64, [[\d-]/);
    expect(e.message).to.match(/Property failed after \d+ tests\n\{ seed: 1, path: "[\d:]*", endOnFailure: true \}\nCounterexample: \[\{"inputs":\{"x":Tensor\(shape=/);
  });

  it('first-order errors are reported before second-order ones, and shrinking keeps the order', () => {
    // Every case is grossly off at second order; only cases of 2+ elements are off at first
    // order. With seed 2 the first generated case is a scalar, which fails at second order only:
    // checking each case's orders in turn reported order 2, and shrinking turned a first-order
    // failure into the second-order failure of a scalar.
    for (const seed of [1, 2, 3]) {
      const e = thrown(() => checkRegisteredOp(cubeWrongForLists, { seed })) as GradCheckError;
      expect(e).to.be.instanceOf(GradCheckError);
      expect(e.order, e.message).to.equal(1);
      expect(Math.abs(e.analytic - e.numeric)).to.be.greaterThan(10 * e.tolerance);
      expect(failingSize(e.message), e.message).to.equal(2);
    }
  });

  it('a gross error does not shrink into a borderline one', () => {
    // First order only: borderline wrong (8e-4 relative) everywhere, grossly wrong (+dy) for 2+ elements.
    const squareOff = defineOp({
      name: 'test.squareGrossForLists',
      inputs: ['x'],
      forward: ({ x }) => mul(x, x),
      vjp: ({ dy, x }) => ({ x: () => add(mul(dy, mul(x, scalar(2 * (1 + 8e-4), x))), x.size > 1 ? dy : mul(dy, scalar(0, dy))) }),
      cases: ({ arb: a }) => a.tensorCase({ names: ['x'], rank: [0, 2] }),
      gradCheck: { order: 1 },
    }).def;
    for (const seed of [1, 2, 3]) {
      const e = thrown(() => checkRegisteredOp(squareOff, { seed })) as GradCheckError;
      expect(Math.abs(e.analytic - e.numeric), e.message).to.be.greaterThan(10 * e.tolerance);
      expect(failingSize(e.message), e.message).to.equal(2);
    }
  });

  it('a first-order error met only while shrinking a second-order failure is reported first', () => {
    // Cases of 2+ elements are off at second order only; a scalar is also off at first order.
    // With this seed both generated cases have 3 elements, so only shrinking reaches a scalar.
    const e = thrown(() => checkRegisteredOp(cubeWrongForScalars, { seed: 4, numRuns: 2 })) as GradCheckError;
    expect(e.order, e.message).to.equal(1);
    expect(e.message).to.contain('Found at a case tried while shrinking a second-order failure');
    expect(failingSize(e.message)).to.equal(1);
  });

  it('an op whose cases give nothing to differentiate fails instead of passing with 0 comparisons', () => {
    const labelsOnly = defineOp({
      name: 'test.labelsOnly',
      inputs: ['x'],
      nondifferentiable: ['x'],
      forward: ({ x }) => mul(x, scalar(2, x)),
      vjp: () => ({}),
      cases: ({ arb: a }) => a.tensorCase({ names: ['x'] }),
    }).def;
    expect(() => checkRegisteredOp(labelsOnly, { seed: 1 })).to.throw(/no differentiable float input \(inputs: x float64\)/);
  });

  it('float32 cases are checked in float64, not skipped', () => {
    const float32Cube = defineOp({
      name: 'test.float32Cube',
      inputs: ['x'],
      forward: ({ x }) => mul(mul(x, x), x),
      vjp: ({ dy, x }) => ({ x: () => mul(dy, mul(x, x)) }), // wrong: 3x² is right
      cases: ({ arb: a }) => a.tensorCase({ names: ['x'], dtype: 'float32' }),
    }).def;
    expect(() => checkRegisteredOp(float32Cube, { seed: 1 })).to.throw(GradCheckError, /order 1 .*cast from float32/);
  });

  it('checkGradsProperty reports what it compared, and leads a failure with the checkGrads text and the counterexample values', () => {
    const inputs = fc.tuple(arb.tensor({ rank: [0, 2] }));
    const report = checkGradsProperty(inputs, (x) => mul(x, x), { order: 2, numRuns: 5, seed: 1 });
    expect(report.runs).to.equal(5);
    expect(report.comparisons).to.be.at.least(10);
    const e = thrown(() => checkGradsProperty(inputs, (x) => mul(x, x.detach()), { numRuns: 5, seed: 1 }));
    expect(e).to.be.instanceOf(GradCheckError);
    expect(e.message).to.match(/^checkGradsProperty: checkGrads: order 1 \(the VJP of f\) is wrong for input 0/);
    expect(e.message).to.match(/Counterexample: \[\[Tensor\(shape=\[\], dtype=float64, -?\d/);
    expect(() => checkGradsProperty(inputs, (x) => x, { num_runs: 3 } as object)).to.throw(/unknown option 'num_runs'.*did you mean 'numRuns'/);
  });
});
