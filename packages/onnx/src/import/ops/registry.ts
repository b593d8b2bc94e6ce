// Every operator importOnnx runs, by ONNX name (default domain).
import { activationOps } from './activation.js';
import { convOps } from './conv.js';
import { mathOps } from './math.js';
import { normOps } from './norm.js';
import { poolOps } from './pool.js';
import { shapeOps } from './shape.js';
import type { OpHandler } from './types.js';

/** The operator implementations by ONNX operator name. */
export const OPERATORS: ReadonlyMap<string, OpHandler> = new Map(
  Object.entries({ ...convOps, ...poolOps, ...normOps, ...activationOps, ...mathOps, ...shapeOps }),
);
