// The GPU bench's work: the CPU bench's conv shapes a–e (fwd, fwd+dx+dW), GEMMs 1024³ and 4096³,
// and training steps of lenet5, resnet20, the default model (fmnist-cnn) and resnet18 at 224²
// (batch 16). --smoke shrinks every case (batch 1–2, smaller images and GEMMs) so that one run
// of each takes seconds on a software adapter (~0.2–1 GFLOP/s).
import { CONV_SHAPES, type ConvMode, type ConvShape, type GemmCase, MODEL_CASES, type ModelCase, type ModelName } from '../cases.js';
import { stepFlops } from '../flops.js';

export type GpuConvMode = Extract<ConvMode, 'fwd' | 'fwd+dx+dW'>;
export const GPU_CONV_MODES: readonly GpuConvMode[] = ['fwd', 'fwd+dx+dW'];

export type GpuModelName = ModelName | 'resnet18';
export interface GpuModelCase extends Omit<ModelCase, 'name'> { name: GpuModelName }
export interface GpuGemmCase extends Omit<GemmCase, 'id'> { id: string }

export interface GpuCases {
  gemms: GpuGemmCase[];
  convs: ConvShape[];
  models: GpuModelCase[];
}

const RESNET18: GpuModelCase = {
  name: 'resnet18', batch: 16, input: [3, 224, 224], classes: 1000, optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9 }, params: 11_689_512,
};

export const FULL_CASES: GpuCases = {
  gemms: [{ id: 'gemm1024', m: 1024, k: 1024, n: 1024 }, { id: 'gemm4096', m: 4096, k: 4096, n: 4096 }],
  convs: [...CONV_SHAPES],
  models: [...MODEL_CASES, RESNET18],
};

/** Batch 1 (shape d at 112² instead of 224²), GEMMs 128³ and 256³, models at batch 2 (resnet18: 64² images). */
export const SMOKE_CASES: GpuCases = {
  gemms: [{ id: 'gemm1024', m: 128, k: 128, n: 128 }, { id: 'gemm4096', m: 256, k: 256, n: 256 }],
  convs: CONV_SHAPES.map((s) => ({ ...s, n: 1, ...(s.id === 'd' ? { h: 112, w: 112 } : {}) })),
  models: [...MODEL_CASES, RESNET18].map((m) => ({ ...m, batch: 2, ...(m.name === 'resnet18' ? { input: [3, 64, 64] as [number, number, number] } : {}) })),
};

/** Multiply-adds per image of resnet18's convolutions and fc at a square input (torchvision's layout). */
function resnet18Layers(size: number): number[] {
  const out = (s: number, k: number, stride: number, pad: number): number => Math.floor((s + 2 * pad - k) / stride) + 1;
  let s = out(size, 7, 2, 3);
  const macs = [64 * s * s * 3 * 49];
  s = out(s, 3, 2, 1); // max pool
  let cin = 64;
  for (const [cout, stride] of [[64, 1], [128, 2], [256, 2], [512, 2]] as const) {
    for (let b = 0; b < 2; b++) {
      const st = b === 0 ? stride : 1;
      const so = out(s, 3, st, 1);
      macs.push(cout * so * so * cin * 9, cout * so * so * cout * 9);
      if (b === 0 && (st !== 1 || cin !== cout)) macs.push(cout * so * so * cin); // 1×1 downsample
      s = so;
      cin = cout;
    }
  }
  return [...macs, 512 * 1000];
}

/**
 * FLOPs of one training step counted as the CPU bench counts them (flops.ts): conv and linear
 * multiply-adds ×2 for the forward, the weight gradients and the input gradients (none for the
 * first layer).
 */
export function gpuStepFlops(m: GpuModelCase): number {
  if (m.name !== 'resnet18') return stepFlops({ ...m, name: m.name }).total;
  const layers = resnet18Layers(m.input[1]);
  const fwd = layers.reduce((s, l) => s + 2 * m.batch * l, 0);
  return 2 * fwd + (fwd - 2 * m.batch * layers[0]!);
}
