// Constants of the activations that both an op (its VJP) and a backend (its kernel) use: PyTorch
// 1.13's values, so that forward and gradient share them exactly.

/** SELU's α (torch's SELU_ALPHA). */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale (torch's SELU_SCALE). */
export const SELU_SCALE = 1.0507009873554805;
/** α·scale, SELU's coefficient for x ≤ 0 (torch's negcoef). */
export const SELU_NEGATIVE = SELU_ALPHA * SELU_SCALE;

/** The tanh GELU's √(2/π), as torch computes it: M_SQRT2 · M_2_SQRTPI · 0.5. */
export const GELU_TANH_BETA = Math.SQRT2 * 1.1283791670955126 * 0.5;
/** The tanh GELU's κ. */
export const GELU_TANH_KAPPA = 0.044715;
