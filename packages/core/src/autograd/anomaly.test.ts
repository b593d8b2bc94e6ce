// Anomaly detection: the first op whose output, or VJP whose gradient, holds NaN or ±Infinity
// throws, naming the op, the input shapes and where the forward op was called.
import { expect } from 'chai';
import { AnomalyError, ArgumentError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, pow } from '../ops/elementwise/arithmetic.js';
import { log, sqrt } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { detectAnomaly, isAnomalyDetectionEnabled, setDetectAnomaly } from './anomaly.js';
import { grad } from './grad.js';

const f64 = (data: number[], requiresGrad = false): Tensor => tensor(data, { dtype: 'float64', requiresGrad });
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('anomaly detection', () => {
  afterEach(() => setDetectAnomaly(false));

  it('is off by default: NaN flows through silently, as in PyTorch', () => {
    expect(isAnomalyDetectionEnabled()).to.equal(false);
    expect(Number.isNaN(log(f64([-1])).item())).to.equal(true);
  });

  it('a forward op producing NaN throws, naming the op, the input shapes and dtypes, and the call site', () => {
    const x = f64([1, -2, 3], true);
    const e = thrown(() => detectAnomaly(() => sum(log(x))));
    expect(e).to.be.instanceOf(AnomalyError);
    expect(e.message).to.match(/^log: anomaly detection: the output \[3\] float64 contains 1 NaN \(first at flat index 1\) \(inputs: x \[3\] float64\)/);
    expect(e.message).to.not.match(/already contained/);
    expect(e.message).to.match(/The op was called at:\n {4}at log .*\n.*anomaly\.test\.ts:\d+/);
    expect(isAnomalyDetectionEnabled()).to.equal(false); // restored after the throw
  });

  it('0/0 in div throws with both operands described', () => {
    setDetectAnomaly(true);
    const e = thrown(() => div(f64([0, 1]), f64([0, 2])));
    expect(e).to.be.instanceOf(AnomalyError);
    expect(e.message).to.match(/^div: .*contains 1 NaN \(first at flat index 0\) \(inputs: a \[2\] float64, b \[2\] float64\)/);
    const inf = thrown(() => div(f64([1, 1]), f64([1, 0])));
    expect(inf.message).to.match(/^div: .*contains 1 ±Infinity \(first at flat index 1\)/);
  });

  it('an input that already held NaN (user data) is named as such at the first op that sees it', () => {
    setDetectAnomaly(true);
    const e = thrown(() => add(f64([1, NaN]), f64([2, 3])));
    expect(e.message).to.match(/^add: .*inputs: a \[2\] float64 holding 1 NaN \(first at flat index 1\), b \[2\] float64\)\. An input already contained NaN/);
    expect(e.message).to.match(/your data/);
  });

  it('a VJP producing ±Infinity throws, naming the op, the input and where the forward ran', () => {
    const x = f64([4, 0], true);
    // sqrt(0) = 0 is finite; its gradient 1/(2·sqrt(0)) is not.
    const e = thrown(() => detectAnomaly(() => {
      const loss = sum(sqrt(x));
      loss.backward();
    }));
    expect(e).to.be.instanceOf(AnomalyError);
    expect(e.message).to.match(
      /^backward: anomaly detection: the VJP of op 'sqrt' returned a gradient for input 'x' \[2\] float64 that contains 1 ±Infinity \(first at flat index 1\) \(forward inputs: x \[2\] float64; incoming gradient dy \[2\] float64 is finite\)/,
    );
    // The forward's call site, in this file (the line of `sum(sqrt(x))`), not the backward's.
    expect(e.message).to.match(/The forward op was called at:\n {4}at sqrt .*\n.*anomaly\.test\.ts:\d+/);
    expect(x.grad).to.equal(null);
  });

  it('checks the VJPs inside grad, and a NaN a VJP masks internally is not reported', () => {
    setDetectAnomaly(true);
    // pow's exponent VJP at base 0 computes 0²·ln 0 = NaN internally and masks it with where().
    const g = grad((e: Tensor) => sum(pow(f64([0, 3]), e)))(f64([2, 2]));
    expect(Array.from(g.data)).to.deep.equal([0, 9 * Math.log(3)]);
    expect(() => grad((a: Tensor) => sum(sqrt(a)))(f64([0]))).to.throw(AnomalyError, /VJP of op 'sqrt'/);
  });

  it('detectAnomaly restores the previous state and returns fn’s value; setDetectAnomaly checks its argument', () => {
    setDetectAnomaly(true);
    expect(detectAnomaly(() => mul(f64([2]), f64([3])).item())).to.equal(6);
    expect(isAnomalyDetectionEnabled()).to.equal(true);
    setDetectAnomaly(false);
    expect(() => setDetectAnomaly('on' as never)).to.throw(ArgumentError, /setDetectAnomaly: on must be a boolean, got string on/);
  });

  it('detectAnomaly rejects an async fn instead of silently checking only up to its first await', () => {
    const pending = Promise.resolve(1);
    expect(() => detectAnomaly(() => pending)).to.throw(ArgumentError, /detectAnomaly: fn returned a Promise.*setDetectAnomaly\(true\)/);
    expect(isAnomalyDetectionEnabled()).to.equal(false);
  });
});
