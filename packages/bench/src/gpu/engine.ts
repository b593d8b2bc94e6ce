// What the GPU bench asks of each framework. Both get the same inputs (host float32 arrays drawn
// once per case, NCHW/OIHW; TensorFlow.js transposes them to NHWC/HWIO), so their check values
// (sums of squares of the outputs) can be compared with each other and, in the smoke test, with
// tensorgrad's CPU float64 result.
import type { ConvShape } from '../cases.js';
import type { GpuConvMode, GpuGemmCase, GpuModelCase } from './cases.js';
import type { GpuWorkload } from './timing.js';

export type GpuPrepared = GpuWorkload | { unsupported: string };

/** A GEMM's operands: A (m×k) and B (k×n), row-major. */
export interface GemmInputs { a: Float32Array; b: Float32Array }
/** A conv case's operands: x (N, C, H, W) and W (Cout, C, K, K). */
export interface ConvInputs { x: Float32Array; w: Float32Array }

export interface GpuEngine {
  id: string;
  describe(): string;
  /** Check value: Σ C². */
  gemm(g: GpuGemmCase, inputs: GemmInputs): GpuPrepared;
  /** Check value: fwd Σ y²; fwd+dx+dW Σ dx² + Σ dW² (loss 0.5·Σ y², so dL/dy = y). */
  conv(s: ConvShape, mode: GpuConvMode, inputs: ConvInputs): GpuPrepared;
  /** Check value: the loss of the last step. */
  train(m: GpuModelCase): GpuPrepared;
  /** GPU memory the framework holds now, MB (its own counters). */
  memoryMB(): Record<string, number>;
}
