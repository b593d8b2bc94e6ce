// BatchNorm on WebGPU (Dawn on llvmpipe): the batch counter stays on the device (a synchronous
// read of it would throw), the running statistics agree with the CPU, and the cumulative average
// (momentum null), which needs the count on the host, is refused by name.
import { expect } from 'chai';
import { DeviceError, Generator, randn } from '@tensorgrad/core';
import { initDawn } from '../dawn.test-util.js';
import { BatchNorm2d } from './batchnorm.js';

describe('BatchNorm2d on WebGPU (Dawn)', () => {
  before(async () => {
    await initDawn();
  });

  it('counts batches on the device and updates the running statistics as on the CPU', async () => {
    const xs = [0, 1, 2].map((i) => randn([2, 3, 4, 4], { generator: new Generator(i) }));
    const cpu = new BatchNorm2d(3);
    const gpu = new BatchNorm2d(3).to('webgpu');
    for (const x of xs) {
      cpu.invoke(x);
      gpu.invoke(x.to('webgpu'));
    }
    expect(await gpu.numBatchesTracked!.itemAsync()).to.equal(3);
    const mean = await gpu.runningMean!.dataAsync();
    cpu.runningMean!.data.forEach((m, i) => expect(mean[i]).to.be.closeTo(m, 1e-5));
    const bn = new BatchNorm2d(3, { momentum: null }).to('webgpu');
    expect(() => bn.invoke(xs[0]!.to('webgpu'))).to.throw(DeviceError, /^BatchNorm2d: momentum null .* on 'webgpu': use a number momentum/);
  });
});
