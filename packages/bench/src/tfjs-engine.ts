// TensorFlow.js 4.22 (NHWC) on its cpu backend (pure JS) or wasm backend (XNNPACK; .wasm files
// loaded from node_modules, no network).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { type ConvMode, type ConvShape, type GemmCase, type ModelCase } from './cases.js';
import { type Engine, type Prepared, touch } from './engine.js';
import { type TfModel, tfFmnistCnn, tfLenet5, tfResnet20 } from './tfjs-models.js';

const require = createRequire(import.meta.url);
let wasmPathsSet = false;
let sink = 0;

type Backend = 'cpu' | 'wasm';

/** Kernels each case needs beyond the forward ones; a missing one means the backend cannot run it. */
const NEEDED: Record<ConvMode, string[]> = {
  'fwd': ['Conv2D'],
  'fwd+dx': ['Conv2D', 'Conv2DBackpropInput'],
  'fwd+dx+dW': ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'],
};
const TRAIN_NEEDED = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];

function missing(backend: Backend, kernels: string[]): string | null {
  const absent = kernels.filter((k) => tf.getKernel(k, backend) === undefined);
  return absent.length === 0 ? null : `tfjs-backend-${backend} 4.22 has no ${absent.join(', ')} kernel`;
}

/** tf.tidy whose callback returns nothing: returning dataSync()'s array would make tidy walk every element. */
const forced = (fn: () => tf.Tensor[]): (() => void) => () => tf.tidy(() => {
  for (const t of fn()) sink += touch(t.dataSync());
});

export function tfjsEngine(backend: Backend): Engine {
  return {
    id: `tfjs-${backend}`,
    describe: () => backend === 'cpu'
      ? `TensorFlow.js ${tf.version.tfjs} cpu backend (pure JavaScript, 1 thread)`
      : `TensorFlow.js ${tf.version.tfjs} wasm backend (XNNPACK, SIMD, ${getThreadsCount()} thread${getThreadsCount() > 1 ? 's' : ''})`,
    async activate() {
      if (backend === 'wasm' && !wasmPathsSet) {
        setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
        wasmPathsSet = true;
      }
      if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js: backend ${backend} failed to initialise`);
      await tf.ready();
    },
    gemm(g: GemmCase): Prepared {
      const a = tf.randomNormal([g.m, g.k], 0, 1, 'float32', 1) as tf.Tensor2D;
      const b = tf.randomNormal([g.k, g.n], 0, 1, 'float32', 2) as tf.Tensor2D;
      return { run: forced(() => [tf.matMul(a, b)]), dispose: () => { a.dispose(); b.dispose(); } };
    },
    conv(s: ConvShape, mode: ConvMode): Prepared {
      const why = missing(backend, NEEDED[mode]);
      if (why !== null) return { unsupported: why };
      const x = tf.randomNormal([s.n, s.h, s.w, s.c], 0, 1, 'float32', 1) as tf.Tensor4D;
      const f = tf.randomNormal([s.k, s.k, s.c, s.cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const pad = s.pad === 0 ? 'valid' as const : [[0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
      const y = (xx: tf.Tensor4D, ff: tf.Tensor4D): tf.Tensor4D => tf.conv2d(xx, ff, s.stride, pad);
      const loss = (xx: tf.Tensor4D, ff: tf.Tensor4D): tf.Scalar => tf.mul(tf.sum(tf.square(y(xx, ff))), 0.5);
      const dispose = (): void => { x.dispose(); f.dispose(); };
      if (mode === 'fwd') return { run: forced(() => [y(x, f)]), dispose };
      if (mode === 'fwd+dx') {
        const gx = tf.grad((xx: tf.Tensor) => loss(xx as tf.Tensor4D, f));
        return { run: forced(() => [gx(x)]), dispose };
      }
      const gxw = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => loss(xx as tf.Tensor4D, ff as tf.Tensor4D));
      return { run: forced(() => gxw([x, f])), dispose };
    },
    train(m: ModelCase): Prepared {
      const why = missing(backend, TRAIN_NEEDED);
      if (why !== null) return { unsupported: why };
      const model: TfModel = m.name === 'lenet5' ? tfLenet5(m.classes) : m.name === 'resnet20' ? tfResnet20(m.classes) : tfFmnistCnn(m.classes);
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
      const firstParam = model.trainable[0]!;
      return {
        run: () => {
          const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.forward(x)) as tf.Scalar, true, model.trainable);
          sink += touch(loss!.dataSync()) + touch(firstParam.dataSync());
          loss!.dispose();
        },
        dispose: () => { x.dispose(); labels.dispose(); opt.dispose(); model.dispose(); },
      };
    },
  };
}

export const tfjsSink = (): number => sink;
