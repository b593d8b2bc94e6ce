// TensorFlow.js 4.22 (NHWC) on tfjs-backend-webgpu 4.22, on the bench's TensorFlow.js device.
// The backend is registered here with that device (new WebGPUBackend(device, adapterInfo)): the
// package's own registration asks navigator.gpu.requestAdapter() for a core adapter, which a
// compatibility-only adapter (Dawn on OpenGL ES) does not give, and would pick its own adapter.
// Synchronisation: tfjs-webgpu records kernels into a command encoder and submits in batches; a
// run ends with its 1-element check value (Σ of squares of its outputs, or the step's loss) and
// `sync` awaits its `data()`, which submits everything recorded, copies the value and waits on
// the mapping: it resolves once every kernel of the run has finished.
import * as tf from '@tensorflow/tfjs';
import type { ConvShape } from '../cases.js';
import { type TfModel, tfFmnistCnn, tfLenet5, tfResnet18, tfResnet20 } from '../tfjs-models.js';
import type { BenchGpu } from './adapter.js';
import type { GpuConvMode, GpuGemmCase, GpuModelCase } from './cases.js';
import type { ConvInputs, GemmInputs, GpuEngine, GpuPrepared } from './engine.js';

/** NCHW → NHWC (x) and OIHW → HWIO (W), on the host. */
function transpose4(src: Float32Array, [d0, d1, d2, d3]: number[], perm: [number, number, number, number]): Float32Array {
  const dims = [d0!, d1!, d2!, d3!];
  const strides = [d1! * d2! * d3!, d2! * d3!, d3!, 1];
  const od = perm.map((p) => dims[p]!);
  const os = perm.map((p) => strides[p]!);
  const out = new Float32Array(src.length);
  let o = 0;
  for (let i = 0; i < od[0]!; i++) for (let j = 0; j < od[1]!; j++) for (let k = 0; k < od[2]!; k++) {
    const base = i * os[0]! + j * os[1]! + k * os[2]!;
    for (let l = 0; l < od[3]!; l++) out[o++] = src[base + l * os[3]!]!;
  }
  return out;
}

/** A workload whose run (inside tf.tidy) returns its check value's scalar; the previous one is disposed. */
function workload(run: () => tf.Scalar, dispose: () => void): GpuPrepared {
  let last: tf.Scalar | null = null;
  return {
    run: () => {
      const next = run();
      last?.dispose();
      last = next;
    },
    sync: async () => {
      if (last === null) throw new Error('sync before run');
      return (await last.data())[0]!;
    },
    dispose: () => {
      last?.dispose();
      dispose();
    },
  };
}

const sumSquares = (ts: tf.Tensor[]): tf.Scalar => tf.addN(ts.map((t) => tf.sum(tf.square(t)))) as tf.Scalar;

const buildModel = (m: GpuModelCase): TfModel =>
  m.name === 'lenet5' ? tfLenet5(m.classes) : m.name === 'resnet20' ? tfResnet20(m.classes) : m.name === 'resnet18' ? tfResnet18(m.classes) : tfFmnistCnn(m.classes);

export async function tfjsWebGPUEngine(gpu: BenchGpu['tfjs']): Promise<GpuEngine> {
  // Imported after benchGpu() has set navigator.gpu and the GPUBufferUsage/GPUMapMode globals it reads.
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const backend = new WebGPUBackend(gpu.device, gpu.adapter.info);
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => backend, 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend(\'webgpu\') failed');
  await tf.ready();
  const info = gpu.adapter.info;
  return {
    id: 'tfjs-webgpu',
    describe: () => `TensorFlow.js ${tf.version.tfjs} webgpu backend (tfjs-backend-webgpu), float32, on ${info.description || info.device || info.vendor}`,
    gemm(g: GpuGemmCase, { a, b }: GemmInputs): GpuPrepared {
      const ta = tf.tensor2d(a, [g.m, g.k]), tb = tf.tensor2d(b, [g.k, g.n]);
      return workload(() => tf.tidy(() => sumSquares([tf.matMul(ta, tb)])), () => { ta.dispose(); tb.dispose(); });
    },
    conv(s: ConvShape, mode: GpuConvMode, { x, w }: ConvInputs): GpuPrepared {
      const tx = tf.tensor4d(transpose4(x, [s.n, s.c, s.h, s.w], [0, 2, 3, 1]), [s.n, s.h, s.w, s.c]);
      const tw = tf.tensor4d(transpose4(w, [s.cout, s.c, s.k, s.k], [2, 3, 1, 0]), [s.k, s.k, s.c, s.cout]);
      const pad = s.pad === 0 ? 'valid' as const : [[0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
      const y = (xx: tf.Tensor4D, ww: tf.Tensor4D): tf.Tensor4D => tf.conv2d(xx, ww, s.stride, pad);
      const dispose = (): void => { tx.dispose(); tw.dispose(); };
      if (mode === 'fwd') return workload(() => tf.tidy(() => sumSquares([y(tx, tw)])), dispose);
      const gxw = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.mul(tf.sum(tf.square(y(xx as tf.Tensor4D, ww as tf.Tensor4D))), 0.5));
      return workload(() => tf.tidy(() => sumSquares(gxw([tx, tw]))), dispose);
    },
    train(m: GpuModelCase): GpuPrepared {
      const model = buildModel(m);
      const count = model.trainable.reduce((n, v) => n + v.size, 0);
      if (count !== m.params) {
        model.dispose();
        throw new Error(`TensorFlow.js ${m.name} has ${count} parameters, the case ${m.params}`);
      }
      const [c, h, w] = m.input;
      const x = tf.randomNormal([m.batch, h, w, c], 0, 1, 'float32', 3) as tf.Tensor4D;
      const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: m.batch }, (_, i) => i % m.classes), 'int32'), m.classes));
      const o = m.optimizer;
      const opt = o.kind === 'adam' ? tf.train.adam(o.lr, 0.9, 0.999, 1e-8) : tf.train.momentum(o.lr, o.momentum);
      return workload(
        () => opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.forward(x)) as tf.Scalar, true, model.trainable)!,
        () => { x.dispose(); labels.dispose(); opt.dispose(); model.dispose(); },
      );
    },
    memoryMB() {
      const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
      return { tensors: m.numTensors, bytes: Math.round(m.numBytes / 2 ** 20), ...(m.numBytesInGPU === undefined ? {} : { gpu: Math.round(m.numBytesInGPU / 2 ** 20) }) };
    },
  };
}
