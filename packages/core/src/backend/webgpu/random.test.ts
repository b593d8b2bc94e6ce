// The WebGPU dropout mask is the CPU kernel's mask bit for bit (both drawn from the seeded
// Generator on the host), and leaves the generator where the CPU kernel leaves it.
import { expect } from 'chai';
import { Generator } from '../../tensor/random.js';
import { cpuRandom } from '../cpu/random.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { webgpuRandom } from './random.js';
import type { WebGPURuntime } from './runtime.js';

describe('webgpu random kernels (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  it('dropoutMask equals the CPU float32 mask bit for bit for a seed, and the generators end in the same state', async () => {
    for (const [n, p, scale, seed] of [[1000, 0.3, 1 / 0.7, 4], [17, 0.5, 2, 9], [5, 1, 0, 1], [64, 0, 1, 3], [0, 0.5, 2, 2]] as const) {
      const onCpu = new Generator(seed);
      const onGpu = new Generator(seed);
      // A draw before and after: the mask consumes exactly n values of the same stream.
      onCpu.fillUint32(new Uint32Array(3));
      onGpu.fillUint32(new Uint32Array(3));
      const want = new Float32Array(n);
      cpuRandom.dropoutMask(onCpu, p, scale, want);
      const mask = rt.allocate('float32', n, false);
      webgpuRandom.dropoutMask(onGpu, p, scale, mask);
      const got = (await rt.readAsync(mask)) as Float32Array;
      expect(new Int32Array(got.buffer)).to.deep.equal(new Int32Array(want.buffer));
      expect(onGpu.getState()).to.deep.equal(onCpu.getState());
      if (n === 1000) expect(got.filter((v) => v === 0).length).to.be.within(240, 360);
    }
  });

  it('dropoutMask after a larger call draws only as many values as the mask has (scratch reused)', async () => {
    const g = new Generator(11);
    webgpuRandom.dropoutMask(g, 0.5, 2, rt.allocate('float32', 100, false));
    const small = rt.allocate('float32', 4, false);
    webgpuRandom.dropoutMask(g, 0.5, 2, small);
    const reference = new Generator(11);
    reference.fillUint32(new Uint32Array(100));
    const bits = reference.fillUint32(new Uint32Array(4));
    expect([...(await rt.readAsync(small))]).to.deep.equal([...bits].map((b) => (b < 0.5 * 4294967296 ? 0 : 2)));
    expect(g.getState()).to.deep.equal(reference.getState());
  });
});
