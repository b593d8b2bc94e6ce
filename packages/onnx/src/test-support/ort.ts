// Test support (not built or published): runs exported bytes in ONNX Runtime (onnxruntime-node, a devDependency) and compares with tensorgrad.
import { type Tensor, noGrad } from '@tensorgrad/core';
import type { Module } from '@tensorgrad/nn';
import * as ort from 'onnxruntime-node';

/** ONNX Runtime's output for one float32 input. */
export async function runOrt(bytes: Uint8Array, x: Tensor, inputName = 'input', outputName = 'output'): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [inputName]: new ort.Tensor('float32', Float32Array.from(x.data as Float32Array), x.shape) };
    const out = (await session.run(feeds))[outputName]!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

/** max |a − b| / max |b|: the relative error the export checks hold to 1e-5. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** tensorgrad's eval-mode output (no graph recorded, training flag restored). */
export function evalOutput(model: Module<[Tensor], Tensor>, x: Tensor): Tensor {
  const training = model.training;
  model.eval();
  try {
    return noGrad(() => model.invoke(x));
  } finally {
    model.train(training);
  }
}
