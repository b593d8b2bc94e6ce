// @tensorgrad/core — tensors, a define-by-run gradient tape, ops with registered VJPs.
export { Tensor, type NestedArray, type BackwardOptions } from './tensor/tensor.js';
export { setPrintOptions, getPrintOptions, type PrintOptions } from './tensor/format.js';
export { type DType, type FloatDType, type TypedArray } from './tensor/dtype.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, rand, randn,
  type TensorOptions, type CreationOptions, type RandomOptions, type TensorData,
} from './tensor/creation.js';
export { Generator, defaultGenerator, manualSeed } from './tensor/random.js';
export { portableCos, portableSin, portableSinCos, portableTan, portableLog, portableLog2 } from './tensor/portable-math.js';
export { portableExp, portableExpm1, portableLog1p, portableTanh } from './tensor/portable-exp.js';
export { portablePow } from './tensor/portable-pow.js';
export { broadcastShapes, sizeOf, shapesEqual } from './tensor/shape.js';
export { TensorError, ShapeError, DTypeError, ArgumentError, AutogradError, AnomalyError, AllocationError, DeviceError, formatShape } from './errors.js';
export { checkOptions, optionKeys, suggestKey, checkNumber, checkBoolean, checkChoice, type NumberRule } from './options.js';

export { grad, valueAndGrad, vjp, type Pullback, type PullbackOptions, type GradOptions } from './autograd/grad.js';
export { detectAnomaly, setDetectAnomaly, isAnomalyDetectionEnabled } from './autograd/anomaly.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/mode.js';
export { profileOps, type OpProfile, type OpTiming, type ProfiledCall } from './autograd/profiler.js';
export {
  defineOp, listOps, getOp, inPlaceAsOutOfPlace,
  type OpSpec, type OpDef, type Op, type OpCase, type CaseTools, type VjpArgs, type VjpResult, type ForwardContext, type GradCheckSettings,
} from './autograd/registry.js';

export type { TensorLike } from './dispatch/typed.js';
export * from './dispatch/elementwise.js';
export * from './dispatch/reduce.js';
export * from './dispatch/shape.js';
export * from './dispatch/linalg.js';
export * from './dispatch/conv.js';
export * from './dispatch/pool.js';
export * from './dispatch/activation.js';
export * from './dispatch/loss.js';
export * from './dispatch/norm.js';
export { sgdUpdate_, adamUpdate_, rmspropUpdate_, type SgdUpdateOptions, type AdamUpdateOptions, type RmspropUpdateOptions } from './ops/optim/updates.js';
export { totalNorm, clipByNorm_ } from './ops/optim/clip-norm.js';
export { setNumThreads, threadActivity, type ThreadActivity } from './backend/cpu/threads.js';
export { fastMath, setFastMath } from './backend/cpu/fast-math.js';
export { initWebGPU, isWebGPUReady, webgpuMemoryStats, type InitWebGPUOptions, type WebGPUInfo, type GpuMemoryStats } from './backend/webgpu/init.js';
export type { Device, DeviceArray, KernelArray } from './tensor/device.js';
export { poolStats, setPoolLimit, clearPool } from './tensor/storage.js';
export { type ConvTuning, convChoices, convRuleChoice, convTuning, restoreConvChoices, setConvTuning } from './backend/cpu/conv/chooser.js';
export type { Pair, PaddingSpec, Window2d } from './ops/window.js';
