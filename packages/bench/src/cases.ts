// The work every engine does: a GEMM, conv2d passes on five shapes, and one training step of three models.

export interface ConvShape {
  id: string;
  n: number; c: number; h: number; w: number; k: number; cout: number; stride: number; pad: number;
}

export type ConvMode = 'fwd' | 'fwd+dx' | 'fwd+dx+dW';
export type ModelName = 'fmnist-cnn' | 'lenet5' | 'resnet20';

/** Conv passes per mode: forward, input gradient, filter gradient each cost one pass. */
export const PASSES: Record<ConvMode, number> = { 'fwd': 1, 'fwd+dx': 2, 'fwd+dx+dW': 3 };
export const CONV_MODES: readonly ConvMode[] = ['fwd', 'fwd+dx', 'fwd+dx+dW'];

const shape = (id: string, n: number, c: number, h: number, w: number, k: number, cout: number, stride: number, pad: number): ConvShape =>
  ({ id, n, c, h, w, k, cout, stride, pad });

export const CONV_SHAPES: readonly ConvShape[] = [
  shape('a', 8, 3, 32, 32, 3, 16, 1, 1),
  shape('b', 8, 16, 32, 32, 3, 32, 1, 1),
  shape('c', 32, 64, 16, 16, 3, 64, 1, 1),
  shape('d', 1, 3, 224, 224, 11, 96, 4, 2),
  shape('e', 64, 1, 28, 28, 5, 32, 1, 2),
];

export const outSize = (s: ConvShape): [number, number] =>
  [Math.floor((s.h + 2 * s.pad - s.k) / s.stride) + 1, Math.floor((s.w + 2 * s.pad - s.k) / s.stride) + 1];

/** FLOPs of one conv pass: 2·N·Cout·Ho·Wo·C·K·K. */
export function passFlops(s: ConvShape): number {
  const [ho, wo] = outSize(s);
  return 2 * s.n * s.cout * ho * wo * s.c * s.k * s.k;
}

export const describeShape = (s: ConvShape): string => `${s.id}) ${[s.n, s.c, s.h, s.w, s.k, s.cout, s.stride, s.pad].join(' ')}`;

/** The optimizer of a training step, with PyTorch's defaults for anything not given (Adam: betas 0.9, 0.999, eps 1e-8). */
export type OptimizerCase = { kind: 'sgd'; lr: number; momentum: number } | { kind: 'adam'; lr: number };

export interface ModelCase {
  name: ModelName;
  batch: number;
  input: [number, number, number] /* C, H, W */;
  classes: number;
  optimizer: OptimizerCase;
  /** Trainable parameters: every engine's model must have exactly this many (checked where the engine can count). */
  params: number;
}

export const MODEL_CASES: readonly ModelCase[] = [
  // The training job's default model and batch (examples' bench:step times the same step).
  { name: 'fmnist-cnn', batch: 128, input: [1, 28, 28], classes: 10, optimizer: { kind: 'adam', lr: 1e-3 }, params: 104_426 },
  { name: 'lenet5', batch: 64, input: [1, 28, 28], classes: 10, optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9 }, params: 61_706 },
  { name: 'resnet20', batch: 32, input: [3, 32, 32], classes: 10, optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9 }, params: 269_722 },
];

/** A plain float32 GEMM C = A·B (M×K times K×N): the rate the training steps are measured against. */
export interface GemmCase { id: 'gemm'; m: number; k: number; n: number }
export const GEMM_CASE: GemmCase = { id: 'gemm', m: 512, k: 512, n: 512 };
export const gemmFlops = (g: GemmCase): number => 2 * g.m * g.k * g.n;
export const describeGemm = (g: GemmCase): string => `gemm ${g.m}×${g.k} · ${g.k}×${g.n}`;
