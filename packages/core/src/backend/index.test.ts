// Ops reach kernels only through backendOf: with one area of the CPU backend replaced by a stand-in
// whose kernels throw, the op that needs that area throws the stand-in's error (an op that imported
// a CPU kernel directly would run it and not throw). And a faithful stand-in (every kernel
// delegating to the CPU backend, counting calls) gives bit-identical values and gradients.
import { expect } from 'chai';
import * as tg from '../index.js';
import type { Backend } from './backend.js';
import { backendOf, cpuBackend, withBackend } from './index.js';

/** The kernel areas (workerActivity is a diagnostic, not kernels). */
type Area = Exclude<keyof Backend, 'device' | 'workerActivity'>;

class StandInCalled extends Error {}

/** cpuBackend with every kernel of `area` throwing StandInCalled. */
function refusing(area: Area): Backend {
  const kernels = Object.fromEntries(
    Object.keys(cpuBackend[area]).map((name) => [name, () => { throw new StandInCalled(`${area}.${name}`); }]),
  );
  return { ...cpuBackend, [area]: kernels };
}

/** cpuBackend with every kernel counted in `calls` ('area.kernel' → count). */
function counting(calls: Map<string, number>): Backend {
  const areas = (Object.keys(cpuBackend) as (keyof Backend)[]).filter((k): k is Area => k !== 'device' && k !== 'workerActivity');
  const wrapped = Object.fromEntries(areas.map((area) => {
    const impl = cpuBackend[area] as unknown as Record<string, (...args: unknown[]) => unknown>;
    return [area, Object.fromEntries(Object.keys(impl).map((name) => [name, (...args: unknown[]) => {
      calls.set(`${area}.${name}`, (calls.get(`${area}.${name}`) ?? 0) + 1);
      return impl[name]!.apply(impl, args);
    }]))];
  }));
  return { ...cpuBackend, ...wrapped } as Backend;
}

const g = () => new tg.Generator(7);
const x4 = () => tg.randn([2, 3, 8, 8], { generator: g() }).requiresGrad_();

/** One op per area, each needing a kernel of it (forward and backward). */
const uses: Record<Area, () => tg.Tensor> = {
  gemm: () => tg.matmul(tg.randn([5, 6], { generator: g() }).requiresGrad_(), tg.randn([6, 4], { generator: g() })),
  conv: () => tg.conv2d(x4(), tg.randn([4, 3, 3, 3], { generator: g() }), null, { padding: 1 }),
  pool: () => tg.maxPool2d(x4(), { kernelSize: 3, stride: 2 }),
  norm: () => tg.layerNorm(x4(), [8]),
  elementwise: () => tg.mul(x4(), x4()),
  reduce: () => tg.sum(x4(), 1),
  copy: () => tg.permute(x4(), [0, 2, 3, 1]),
  random: () => tg.dropout(x4(), 0.5, { seed: 3 }),
  optimizer: () => tg.noGrad(() => { const p = x4(); tg.sgdUpdate_(p, tg.onesLike(p), null, { lr: 0.1 }); return p; }),
  // Kernel outputs that are not tensors (batch statistics, argmax indices) are allocated through it.
  storage: () => tg.layerNorm(x4(), [8]),
};

describe('backend boundary: ops call kernels through backendOf', () => {
  for (const area of Object.keys(uses) as Area[]) {
    it(`${area}: an op needing it runs the stand-in's kernels`, () => {
      expect(() => withBackend(refusing(area), () => tg.sum(uses[area]()).backward())).to.throw(StandInCalled, new RegExp(`^${area}\\.`));
      expect(() => tg.sum(uses[area]()).backward()).not.to.throw(); // the CPU backend is back
    });
  }

  it('a faithful stand-in gives bit-identical values and gradients, and sees every area', () => {
    const run = () => {
      const x = x4();
      const y = tg.add(tg.sum(tg.mul(uses.conv(), uses.conv())), tg.sum(uses.pool()));
      const z = tg.add(y, tg.add(tg.sum(uses.norm()), tg.add(tg.sum(uses.gemm()), tg.sum(tg.permute(x, [1, 0, 2, 3])))));
      z.backward();
      return [z.item(), ...x.grad!.data];
    };
    const calls = new Map<string, number>();
    const direct = run();
    const through = withBackend(counting(calls), run);
    expect(through).to.deep.equal(direct);
    const areas = new Set([...calls.keys()].map((k) => k.split('.')[0]));
    expect([...areas].sort()).to.deep.equal(['conv', 'copy', 'elementwise', 'gemm', 'norm', 'pool', 'reduce', 'storage']);
  });

  it('withBackend restores the previous backend after a throw and checks its argument', () => {
    expect(() => withBackend(refusing('conv'), () => { throw new Error('boom'); })).to.throw('boom');
    expect(backendOf(tg.zeros([1]))).to.equal(cpuBackend);
    expect(() => withBackend(null as unknown as Backend, () => 0)).to.throw(tg.ArgumentError, /withBackend: backend must be a Backend for device 'cpu'/);
  });
});
