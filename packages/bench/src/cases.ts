// The work every engine does: conv2d passes on five shapes, and one training step of two models.

export interface ConvShape {
  id: string;
  n: number; c: number; h: number; w: number; k: number; cout: number; stride: number; pad: number;
}

export type ConvMode = 'fwd' | 'fwd+dx' | 'fwd+dx+dW';
export type ModelName = 'lenet5' | 'resnet20';

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

export interface ModelCase { name: ModelName; batch: number; input: [number, number, number] /* C, H, W */; classes: number; lr: number; momentum: number }

export const MODEL_CASES: readonly ModelCase[] = [
  { name: 'lenet5', batch: 64, input: [1, 28, 28], classes: 10, lr: 0.01, momentum: 0.9 },
  { name: 'resnet20', batch: 32, input: [3, 32, 32], classes: 10, lr: 0.01, momentum: 0.9 },
];
