import type { Generator } from '@tensorgrad/core';

export interface ModelOptions {
  numClasses?: number;
  /** Draws every initial weight (default: core's default generator, seeded by manualSeed). */
  generator?: Generator;
  /**
   * Leave every weight at zero (BatchNorm at γ=1, β=0) instead of drawing it: for a model whose
   * weights are about to be loaded from a checkpoint, where drawing tens of millions of numbers
   * would be wasted time.
   */
  skipInit?: boolean;
}
