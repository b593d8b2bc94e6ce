import { type FloatDType, type Generator, checkOptions } from '@tensorgrad/core';
import { assertPositiveInt, checkBool, checkFloatDType, checkGenerator } from '../check.js';

/** Options every model builder takes (numClasses, generator, skipInit, dtype). */
export interface ModelOptions {
  /**
   * Number of output classes: the size of the last layer (default: the model's dataset's, e.g. 1000
   * for ImageNet models, 10 for LeNet-5).
   */
  numClasses?: number;
  /** Draws every initial weight (default: core's default generator, seeded by manualSeed). */
  generator?: Generator;
  /**
   * Leave every weight at zero (BatchNorm at γ=1, β=0) instead of drawing it: for a model whose
   * weights are about to be loaded from a checkpoint, where drawing tens of millions of numbers
   * would be wasted time.
   */
  skipInit?: boolean;
  /**
   * The dtype of every parameter and buffer (default 'float32'). The model is built as in float32
   * and converted (`module.to(dtype)`), so the same seed gives a float64 model exactly the float32
   * model's initial values: a float32 run can be checked in float64.
   */
  dtype?: FloatDType;
}

/**
 * Checks a model's options (unknown keys, and the keys every model shares) and returns them, so
 * a factory can check under its own name: `resnet18: unknown option 'num_classes'`.
 */
export function checkModelOptions<O extends ModelOptions>(fn: string, options: O, accepted: readonly string[]): O {
  checkOptions(fn, options, accepted);
  const { numClasses, generator, skipInit, dtype } = options ?? {};
  if (numClasses !== undefined) assertPositiveInt(fn, 'numClasses', numClasses);
  checkGenerator(fn, generator);
  if (skipInit !== undefined) checkBool(fn, 'skipInit', skipInit);
  if (dtype !== undefined) checkFloatDType(fn, dtype);
  return options;
}
