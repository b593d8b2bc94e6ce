import { expect } from 'chai';
import { batchNorm, conv2d, ones, relu_, setNumThreads, tensor, zeros } from '../../index.js';
import { convStrategies, setConvStrategy } from '../../backend/cpu/conv/chooser.js';
import { convShape } from '../../backend/cpu/conv/types.js';
import { wasmAvailable } from '../../backend/cpu/wasm/runtime.js';
import { fillTensor } from '../../testing/arbitraries.js';
import type { Tensor } from '../../tensor/tensor.js';
import { window2d } from '../window.js';
import { carriesRunMoments } from './output-moments.js';

// [n, cin, hw, kernel, cout, padding, groups]: batch norm's wasm kernels (≥ 4096 elements) after a
// conv whose tasks take the run moments (3×3: gathered, direct, both Winograds), a ragged last task,
// groups, and a 1×1 conv (pointwise: no moments, batch norm takes its own).
const SHAPES: [number, number, number, number, number, number, number][] = [
  [8, 3, 10, 3, 8, 1, 1], [13, 4, 9, 3, 6, 1, 2], [9, 5, 12, 1, 7, 0, 1],
];

const bits = (t: Tensor): number[] => [...new Uint32Array((t.data as Float32Array).slice().buffer)];

/** batchNorm (training) of y and of a detached view of it (which carries no moments): values and running statistics. */
function bothNorms(y: Tensor): { carried: number[][]; own: number[][] } {
  const run = (t: Tensor): number[][] => {
    const c = t.shape[1]!;
    const rm = zeros([c]), rv = ones([c]);
    const out = batchNorm(t, rm, rv, ones([c]), zeros([c]), { training: true });
    return [bits(out), [...rm.data], [...rv.data]];
  };
  return { carried: run(y), own: run(y.detach()) };
}

describe('conv outputs carry their per-run moments to batch norm', () => {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });
  afterEach(async () => {
    setConvStrategy('forward', 'auto');
    await setNumThreads(1);
  });

  for (const threads of [1, 2]) {
    it(`batch norm of a conv's output has the bits of batch norm taking its own statistics, every forward strategy (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      expect(await setNumThreads(threads)).to.equal(true);
      for (const [k, [n, cin, hw, kernel, cout, padding, groups]] of SHAPES.entries()) {
        const s = convShape({ n, cin, cout, groups, window: window2d('conv2d', hw, hw, { kernelSize: kernel, stride: 1, padding }) });
        const x = tensor(fillTensor([n, cin, hw, hw], 7 * k + 1, { min: -1, max: 1 }), { dtype: 'float32' });
        for (const strategy of convStrategies('forward').filter((c) => c.applies(s, 'float32'))) {
          setConvStrategy('forward', strategy.name);
          // A weight of its own per strategy: the first conv of it is not asked for moments, later ones are.
          const w = tensor(fillTensor([cout, cin / groups, kernel, kernel], 7 * k + 2, { min: -1, max: 1 }), { dtype: 'float32' });
          for (let step = 0; step < 3; step++) {
            const { carried, own } = bothNorms(conv2d(x, w, null, { padding, groups }));
            expect(carried, `${k} ${strategy.name} step ${step}`).to.deep.equal(own);
          }
        }
      }
    });
  }

  it('are not used once the output is written over (relu_): batch norm then takes the new values\' statistics', () => {
    const x = tensor(fillTensor([8, 3, 10, 10], 5, { min: -1, max: 1 }), { dtype: 'float32' });
    const w = tensor(fillTensor([8, 3, 3, 3], 6, { min: -1, max: 1 }), { dtype: 'float32' });
    for (let step = 0; step < 3; step++) {
      const y = conv2d(x, w, null, { padding: 1 });
      if (step === 2) relu_(y);
      const { carried, own } = bothNorms(y);
      expect(carried).to.deep.equal(own);
    }
  });

  it('are taken while a training batch norm follows the conv, not while an eval-mode one does, and again once it trains', () => {
    const x = tensor(fillTensor([8, 3, 10, 10], 9, { min: -1, max: 1 }), { dtype: 'float32' });
    const w = tensor(fillTensor([8, 3, 3, 3], 10, { min: -1, max: 1 }), { dtype: 'float32' });
    const c = 8;
    const rm = zeros([c]), rv = ones([c]);
    const layer = (training: boolean): boolean => {
      const y = conv2d(x, w, null, { padding: 1 });
      batchNorm(y, rm, rv, ones([c]), zeros([c]), { training });
      return carriesRunMoments(y);
    };
    // The first training step tells the conv; the first eval-mode step (whose conv still took them) stops it; the first training step after tells it again.
    expect([true, true, false, false, true, false, false, true, true].map(layer)).to.deep.equal([false, true, true, false, false, true, false, false, true]);
  });
});
