// '@tensorgrad/core/testing': prove gradients right. See README "Testing your own ops".
export { checkGrads, GradCheckError, type CheckGradsOptions, type GradCheckReport } from './check-grads.js';
export { checkAdjoint, AdjointError, type CheckAdjointOptions } from './check-adjoint.js';
export * as arb from './arbitraries.js';
export { checkRegisteredOp } from './check-op.js';
