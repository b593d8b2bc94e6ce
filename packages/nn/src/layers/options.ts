import type { FloatDType, Generator } from '@tensorgrad/core';

/** Spatial sizes and padding as core's conv and pooling ops take them. */
export type { Pair, PaddingSpec as Padding } from '@tensorgrad/core';

/** How a layer creates its parameters: dtype (float32 by default) and the generator of its default init. */
export interface ParameterOptions {
  /** Parameter dtype: 'float32' (default) or 'float64'. */
  dtype?: FloatDType;
  /**
   * Generator of the default initialisation's draws (default: core's default generator, seeded by
   * manualSeed).
   */
  generator?: Generator;
  /**
   * Leave the weights at zero for the caller to initialise: models with their own init scheme
   * (ResNet, GoogLeNet) use it so that tens of millions of weights are not drawn twice.
   */
  skipInit?: boolean;
}
