// '@tensorgrad/core/testing': prove gradients right. See README "Testing your own ops".
import type * as FastCheck from 'fast-check';
import type * as Arbitraries from './arbitraries.js';

export { checkGrads, GradCheckError, type CheckGradsOptions, type GradCheckReport, type GradCheckFailure } from './check-grads.js';
export {
  checkGradsProperty, type CheckGradsPropertyOptions, type GradPropertyOptions, type GradPropertyReport, type GradCase,
} from './grad-property.js';
export { checkAdjoint, AdjointError, type CheckAdjointOptions } from './check-adjoint.js';
export * as arb from './arbitraries.js';
export { checkRegisteredOp } from './check-op.js';
export { setUninitializedPoison } from '../tensor/storage.js';

// autograd/types.ts declares an op's CaseTools and CaseArbitrary empty so that the main entry's
// declarations never import fast-check (an optional peer dependency: a consumer without it can
// type-check against '@tensorgrad/core' with skipLibCheck off). This entry gives them their types.
declare module '../autograd/types.js' {
  interface CaseTools {
    /** fast-check itself (for fc.record, fc.integer... in an op's cases). */
    fc: typeof FastCheck;
    /** tensorgrad's arbitraries of shapes and tensors (`arb.tensor`, `arb.tensorCase`...). */
    arb: typeof Arbitraries;
  }
  interface CaseArbitrary<T> extends FastCheck.Arbitrary<T> {}
}
