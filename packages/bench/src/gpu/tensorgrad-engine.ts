// tensorgrad on its WebGPU backend (float32, NCHW), on the bench's tensorgrad device.
// Synchronisation: kernels are submitted as ops run; a run ends by computing its 1-element check
// value on the GPU (Σ of squares of its outputs, or the step's loss), and `sync` awaits its
// `itemAsync()`: the read-back's copy is queued after every kernel of the run, so it resolves only
// once they have all finished.
import { Generator, type Tensor, add, conv2d, crossEntropy, grad, initWebGPU, matmul, mul, randn, sum, tensor, webgpuMemoryStats } from '@tensorgrad/core';
import { Adam, SGD, type Module, fmnistCnn, lenet5, resnet18, resnet20 } from '@tensorgrad/nn';
import type { ConvShape } from '../cases.js';
import type { BenchGpu } from './adapter.js';
import type { GpuConvMode, GpuGemmCase, GpuModelCase } from './cases.js';
import type { ConvInputs, GemmInputs, GpuEngine, GpuPrepared } from './engine.js';

const sumSquares = (ts: Tensor[]): Tensor => ts.map((t) => sum(mul(t, t))).reduce((a, b) => add(a, b));

/** A workload whose run returns the tensor holding its check value. */
function workload(run: () => Tensor): GpuPrepared {
  let last: Tensor | null = null;
  return {
    run: () => { last = run(); },
    sync: async () => {
      if (last === null) throw new Error('sync before run');
      return last.itemAsync();
    },
  };
}

function buildModel(m: GpuModelCase, generator: Generator): Module {
  const options = { numClasses: m.classes, generator };
  switch (m.name) {
    case 'lenet5': return lenet5(options);
    case 'resnet20': return resnet20(options);
    case 'resnet18': return resnet18(options);
    case 'fmnist-cnn': return fmnistCnn({ ...options, dropoutGenerator: new Generator(1) });
  }
}

/** nn's Module.to(device) (issue 15): called through a plain signature so this compiles before and after nn's device overload. */
function moveToWebGPU(model: Module): void {
  (model.to as (target: string) => Module).call(model, 'webgpu');
}

export async function tensorgradWebGPUEngine(gpu: BenchGpu['tensorgrad']): Promise<GpuEngine> {
  const info = await initWebGPU({ adapter: gpu.adapter, device: gpu.device });
  const generator = new Generator(1234);
  const onGpu = (data: Float32Array, shape: number[]): Tensor => tensor(data, { shape }).to('webgpu');
  return {
    id: 'tensorgrad-webgpu',
    describe: () => `tensorgrad (workspace source) WebGPU backend, float32, on ${info.description || info.device || info.vendor}${info.compatibilityMode ? ' (compatibility mode)' : ''}`,
    gemm(g: GpuGemmCase, { a, b }: GemmInputs): GpuPrepared {
      const ta = onGpu(a, [g.m, g.k]), tb = onGpu(b, [g.k, g.n]);
      return workload(() => sumSquares([matmul(ta, tb)]));
    },
    conv(s: ConvShape, mode: GpuConvMode, { x, w }: ConvInputs): GpuPrepared {
      const tx = onGpu(x, [s.n, s.c, s.h, s.w]), tw = onGpu(w, [s.cout, s.c, s.k, s.k]);
      const opts = { stride: s.stride, padding: s.pad };
      if (mode === 'fwd') return workload(() => sumSquares([conv2d(tx, tw, opts)]));
      const gxw = grad((xx: Tensor, ww: Tensor) => {
        const y = conv2d(xx, ww, opts);
        return mul(sum(mul(y, y)), 0.5);
      }, { argnums: [0, 1] });
      return workload(() => sumSquares(gxw(tx, tw)));
    },
    train(m: GpuModelCase): GpuPrepared {
      const model = buildModel(m, generator);
      model.train();
      const count = model.parameters().reduce((s, p) => s + p.size, 0);
      if (count !== m.params) throw new Error(`tensorgrad ${m.name} has ${count} parameters, the case ${m.params}`);
      moveToWebGPU(model);
      // After the move: the optimizer's state is made on the parameters' device.
      const params = model.parameters();
      const o = m.optimizer;
      const opt = o.kind === 'adam' ? new Adam(params, { lr: o.lr }) : new SGD(params, { lr: o.lr, momentum: o.momentum });
      const x = randn([m.batch, ...m.input], { generator }).to('webgpu');
      const labels = tensor(Array.from({ length: m.batch }, (_, i) => i % m.classes), { dtype: 'int32' }).to('webgpu');
      return workload(() => {
        const loss = crossEntropy(model.invoke(x), labels);
        loss.backward();
        opt.step();
        opt.zeroGrad();
        return loss;
      });
    },
    memoryMB() {
      const s = webgpuMemoryStats();
      return { live: Math.round(s.liveBytes / 2 ** 20), pooled: Math.round(s.pooledBytes / 2 ** 20) };
    },
  };
}
