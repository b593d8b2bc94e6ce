// Property-tests a custom op's VJP the way a user would: fast-check draws random shapes and
// values, checkGrads compares the tape's gradient with central finite differences in float64
// (first and second order). A deliberately wrong VJP is shown to be caught.
import fc from 'fast-check';
import { type Tensor, mul } from '@tensorgrad/core';
import { arb, checkGrads, checkRegisteredOp } from '@tensorgrad/core/testing';
import { softsign, softsignOp } from './softsign.js';

export interface ProofReport {
  runs: number;
  comparisons: number;
  maxAbsError: number;
  wrongVjpCaught: boolean;
}

export function proveSoftsign(numRuns: number): ProofReport {
  let comparisons = 0;
  let maxAbsError = 0;
  // 1. A property over random shapes, composed with another op (chain rule through the tape).
  fc.assert(
    fc.property(arb.tensor({ rank: [0, 3], maxDim: 5, awayFrom: [0] }), (x) => {
      const r = checkGrads((t: Tensor) => mul(softsign(t), t), [x], { order: 2 });
      comparisons += r.comparisons;
      maxAbsError = Math.max(maxAbsError, r.maxAbsError);
    }),
    { numRuns, seed: 7 },
  );
  // 2. The same check the core registry runs on its own ops, driven by the op's declared cases.
  checkRegisteredOp(softsignOp.def, { numRuns, seed: 7 });
  // 3. A wrong gradient (x ↦ x/(1+|x|) treating the denominator as constant) must fail.
  let wrongVjpCaught = false;
  try {
    checkGrads((t: Tensor) => mul(t, softsign(t.detach())), [arb.fillTensor([4], 1, { awayFrom: [0] })]);
  } catch {
    wrongVjpCaught = true;
  }
  return { runs: numRuns, comparisons, maxAbsError, wrongVjpCaught };
}
