import type { Generator } from '@tensorgrad/core';

export interface ModelOptions {
  numClasses?: number;
  /** Draws every initial weight (default: core's default generator, seeded by manualSeed). */
  generator?: Generator;
}
