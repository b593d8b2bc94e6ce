// The optimizer kernels of a backend (see backend.ts): the in-place parameter updates of SGD, Adam
// (and AdamW) and RMSprop as PyTorch computes them, and the pieces of gradient-norm clipping. They
// run on the parameters' device, so a model on a GPU trains without reading its weights back.
// Every array of one call has the parameter's length (one element for the norm's accumulator and
// total). Scalars that depend on the step (Adam's bias corrections 1 − βᵗ) are computed on the host
// (with core's portablePow, so every engine gets the same bits) and passed in.
// The CPU kernels compute in float64 and round once per stored element, in a fixed order: the
// CPU results are the same bits in every engine.
import type { KernelArray } from '../tensor/device.js';

/** SGD's hyperparameters for one update (torch.optim.SGD's). */
export interface SgdHyper {
  readonly lr: number;
  /** μ; used only with a momentum buffer. */
  readonly momentum: number;
  /** τ of b = μb + (1−τ)d. */
  readonly dampening: number;
  /** λ of d = g + λp. */
  readonly weightDecay: number;
  /** d = d + μb instead of d = b. */
  readonly nesterov: boolean;
  /** The momentum buffer's first step: b = d (its values are not read). */
  readonly firstStep: boolean;
}

/** Adam's (and AdamW's) hyperparameters for one update. */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** λ: an L2 penalty added to g (Adam) or a decay p·(1 − lr·λ) before the step (decoupled, AdamW). */
  readonly weightDecay: number;
  readonly decoupled: boolean;
  /** 1 − β₁ᵗ at this step t. */
  readonly biasCorrection1: number;
  /** 1 − β₂ᵗ at this step t. */
  readonly biasCorrection2: number;
}

/** RMSprop's hyperparameters for one update. */
export interface RmspropHyper {
  readonly lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** μ; used only with a momentum buffer. */
  readonly momentum: number;
}

export interface OptimizerKernels<A = KernelArray> {
  /**
   * SGD, per element: d = g + λp; with a momentum buffer b = d on the first step, else
   * b = μb + (1−τ)d, and d = d + μb (nesterov) or d = b; p = p − lr·d.
   */
  sgd(param: A, grad: A, momentumBuffer: A | null, h: SgdHyper): void;
  /**
   * Adam, per element: g' = g + λp (Adam; 0 for AdamW), m = β₁m + (1−β₁)g', v = β₂v + (1−β₂)g'²,
   * v̂ = max(vMax, v) stored in vMax when given (AMSGrad), else v;
   * p = p·(1 − lr·λ if decoupled else 1) − (lr/bc₁)·m / (√v̂/√bc₂ + ε).
   */
  adam(param: A, grad: A, expAvg: A, expAvgSq: A, maxExpAvgSq: A | null, h: AdamHyper): void;
  /**
   * RMSprop, per element: g' = g + λp, s = αs + (1−α)g'²; centered (gradAvg given):
   * ḡ = αḡ + (1−α)g', s' = s − ḡ², else s' = s; u = g'/(√s' + ε); p = p − lr·u, or with a
   * momentum buffer b = μb + u, p = p − lr·b.
   */
  rmsprop(param: A, grad: A, squareAvg: A, gradAvg: A | null, momentumBuffer: A | null, h: RmspropHyper): void;
  /**
   * acc[0] = acc[0] + Σ |x|^normType over x's elements in order (max(acc[0], |x|) for normType
   * Infinity). acc: one element of the device's accumulator dtype (float64 on the CPU).
   */
  normAccumulate(x: A, acc: A, normType: number): void;
  /** acc[0] = acc[0]^(1/normType) (the total norm from normAccumulate's sum; nothing for Infinity). */
  normFinish(acc: A, normType: number): void;
  /** Clipping: with coef = maxNorm/(total[0] + 1e-6), x = x·coef where coef < 1 (else x is not written). */
  clipScale(x: A, total: A, maxNorm: number): void;
}
