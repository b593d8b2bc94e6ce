// GPU memory of a training loop stays flat without dispose() (Dawn on llvmpipe): 150 Adam steps
// of a tiny conv-BN-ReLU-pool-linear network, nothing released by hand, with the pool's
// collection threshold lowered so that its garbage-collection requests (collect-garbage.ts) come
// every few steps; after warm-up almost no buffer is created and live + pooled bytes stay bounded, and
// backward's recycler gives consumed gradients back at once.
// packages/examples' `pnpm run gpu-memory` is the 2,000-step version on a larger CNN.
import { expect } from 'chai';
import {
  Generator, type Tensor, adamUpdate_, batchNorm, conv2d, crossEntropy, matmul, maxPool2d, mul, ones, randn, relu, reshape, tensor, zeros,
} from '../../index.js';
import { DEFAULT_GC_THRESHOLD_BYTES, type GpuMemoryStats } from './buffer-pool.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import type { WebGPURuntime } from './runtime.js';

describe('webgpu memory over a training loop (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });
  afterEach(() => {
    rt.pool.gcThresholdBytes = DEFAULT_GC_THRESHOLD_BYTES;
  });

  it('150 Adam steps: almost no buffer created between step 50 and 150, live + pooled bytes bounded, collections requested, gradients released', async function () {
    this.timeout(120_000);
    // A step drops ~60 KiB of arrays; 128 KiB brings a request every few steps.
    rt.pool.gcThresholdBytes = 128 * 1024;
    const g = new Generator(5);
    const param = (t: Tensor): Tensor => {
      const p = t.to('webgpu');
      p.requiresGrad = true;
      return p;
    };
    const w1 = param(mul(randn([4, 1, 3, 3], { generator: g }), 0.3));
    const b1 = param(zeros([4]));
    const gamma = param(ones([4]));
    const beta = param(zeros([4]));
    const w2 = param(mul(randn([64, 3], { generator: g }), 0.1));
    const params = [w1, b1, gamma, beta, w2];
    const state = params.map((p) => [zeros(p.shape).to('webgpu'), zeros(p.shape).to('webgpu')] as const);
    const runningMean = zeros([4]).to('webgpu');
    const runningVar = ones([4]).to('webgpu');

    const samples = new Map<number, GpuMemoryStats>();
    const requests = new Map<number, number>();
    const losses: number[] = [];
    let returnedInBackward = 0;
    for (let step = 1; step <= 150; step++) {
      const x = randn([4, 1, 8, 8], { generator: g }).to('webgpu');
      const y = tensor([0, 1, 2, step % 3], { dtype: 'int32' }).to('webgpu');
      for (const p of params) p.grad = null;
      const h = maxPool2d(relu(batchNorm(conv2d(x, w1, b1, { padding: 1 }), runningMean, runningVar, gamma, beta, { training: true })), { kernelSize: 2 });
      const loss = crossEntropy(matmul(reshape(h, [4, 64]), w2), y);
      if (step === 150) {
        // Within one synchronous backward only explicit releases return buffers (finalizers run in
        // later tasks; collection requests are held off here): the recycler's, of consumed gradients.
        const collector = rt.pool.collectGarbage;
        rt.pool.collectGarbage = null;
        const before = rt.stats();
        try {
          loss.backward();
        } finally {
          rt.pool.collectGarbage = collector;
        }
        const after = rt.stats();
        returnedInBackward = after.createdBuffers + after.reusedBuffers - before.createdBuffers - before.reusedBuffers - (after.liveArrays - before.liveArrays);
      } else {
        loss.backward();
      }
      params.forEach((p, i) => adamUpdate_(p, p.grad!, state[i]![0], state[i]![1], null, { lr: 0.01, step }));
      losses.push(await loss.itemAsync());
      if (step === 50 || step === 150) {
        // The finalizers of the last request run in a later task.
        await new Promise((resolve) => setTimeout(resolve, 0));
        samples.set(step, rt.stats());
        requests.set(step, rt.pool.gcRequests);
      }
    }
    const [at50, at150] = [samples.get(50)!, samples.get(150)!];
    expect(losses.every(Number.isFinite), 'finite losses').to.equal(true);
    // Flat: a leak creates a backward's ~37 arrays every step (thousands over these 100 steps). A
    // few may still be created when an array is wanted before the finalizers of the last
    // collection have run (they run in a later task): one full-suite run in five saw 9.
    expect(at150.createdBuffers - at50.createdBuffers, `buffers created after step 50 (step 50: ${JSON.stringify(at50)}, step 150: ${JSON.stringify(at150)})`).to.be.at.most(32);
    expect(at150.reusedBuffers - at50.reusedBuffers, 'allocations served by reuse').to.be.above(100 * 40);
    // Bounded: the threshold plus a few steps' arrays, far below 100 steps' (~6 MiB).
    expect(at150.liveBytes + at150.pooledBytes, 'live + pooled bytes at step 150').to.be.below(2 * 2 ** 20);
    expect(requests.get(150)! - requests.get(50)!, 'collection requests between steps 50 and 150').to.be.above(0);
    // About 20 of a backward's ~37 arrays are gradients it consumed and gave back.
    expect(returnedInBackward, 'arrays backward released').to.be.at.least(10);
  });
});
