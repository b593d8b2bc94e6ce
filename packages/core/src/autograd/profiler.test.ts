// profileOps: per-op wall time of a forward and a backward, nothing counted twice, nothing
// recorded while off.
import { expect } from 'chai';
import { ArgumentError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { type OpTiming, profileOps } from './profiler.js';
import { defineOp } from './registry.js';
import { setNumThreads } from '../backend/cpu/threads.js';
import { conv2d } from '../ops/conv/conv2d.js';
import { randn } from '../tensor/creation.js';
import { Generator } from '../tensor/random.js';

const leaf = (data: number[]): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });
const two = tensor(2, { dtype: 'float64' });
const entry = (ops: OpTiming[], kind: OpTiming['kind'], op: string): OpTiming | undefined => ops.find((t) => t.kind === kind && t.op === op);
const busy = (ms: number): void => {
  const t0 = performance.now();
  while (performance.now() - t0 < ms);
};

// Its forward and VJP apply `mul` and wait 15 ms: both must be billed to this op, not to mul.
const slowDouble = defineOp({
  name: 'test_profiler_slowDouble',
  inputs: ['x'],
  forward: ({ x }) => {
    busy(15);
    return mul(x, two);
  },
  vjp: ({ dy }) => ({
    x: () => {
      busy(15);
      return mul(dy, two);
    },
  }),
  cases: ({ fc }) => fc.constant({ inputs: { x: tensor([1], { dtype: 'float64' }) }, attrs: {} }),
});

describe('profileOps', () => {
  it('counts each op application and each VJP once, by name and kind, and returns fn\'s result', () => {
    const x = leaf([1, 2, 3]);
    const { result, profile } = profileOps(() => {
      const loss = sum(mul(x, x));
      loss.backward();
      return loss.item();
    });
    expect(result).to.equal(14);
    expect(x.grad!.toArray()).to.deep.equal([2, 4, 6]);
    // mul's VJP applies mul twice more: counted in vjp:mul, not as further op:mul calls.
    expect(entry(profile.ops, 'op', 'mul')?.calls).to.equal(1);
    expect(entry(profile.ops, 'op', 'sum')?.calls).to.equal(1);
    expect(entry(profile.ops, 'vjp', 'sum')?.calls).to.equal(1);
    expect(entry(profile.ops, 'vjp', 'mul')?.calls).to.equal(1);
    // mul(x, x): the two gradients of x meet and backward sums them.
    expect(entry(profile.ops, 'op', 'accumulateGrad')?.calls).to.equal(1);
    expect(profile.ops.map((t) => `${t.kind}:${t.op}`).sort()).to.deep.equal(['op:accumulateGrad', 'op:mul', 'op:sum', 'vjp:mul', 'vjp:sum']);
    const opsMs = profile.ops.reduce((s, t) => s + t.ms, 0);
    expect(opsMs).to.be.at.most(profile.totalMs + 1e-9);
    expect(profile.untrackedMs).to.be.closeTo(profile.totalMs - opsMs, 1e-9);
  });

  it('bills an op\'s inner ops and its time to the op, in forward and in backward, sorted slowest first', () => {
    const x = leaf([1, 2]);
    const { profile } = profileOps(() => sum(add(slowDouble({ x }, {}), x)).backward());
    const fwd = entry(profile.ops, 'op', 'test_profiler_slowDouble')!;
    const bwd = entry(profile.ops, 'vjp', 'test_profiler_slowDouble')!;
    expect(fwd.calls).to.equal(1);
    expect(fwd.ms).to.be.greaterThanOrEqual(15);
    expect(bwd.ms).to.be.greaterThanOrEqual(15);
    expect(entry(profile.ops, 'op', 'mul')).to.equal(undefined);
    expect(entry(profile.ops, 'vjp', 'mul')).to.equal(undefined);
    expect(profile.totalMs).to.be.greaterThanOrEqual(30);
    expect(profile.ops.slice(0, 2).map((t) => t.kind).sort()).to.deep.equal(['op', 'vjp']);
    for (let i = 1; i < profile.ops.length; i++) expect(profile.ops[i]!.ms).to.be.at.most(profile.ops[i - 1]!.ms);
    expect(x.grad!.toArray()).to.deep.equal([3, 3]);
  });

  it('records nothing outside its call: a later profile holds only its own ops', () => {
    const x = leaf([1]);
    profileOps(() => sum(mul(x, x)));
    sum(add(x, x)).backward(); // not profiled
    const { profile } = profileOps(() => mul(x, two));
    expect(profile.ops.map((t) => `${t.kind}:${t.op}:${t.calls}`)).to.deep.equal(['op:mul:1']);
  });

  describe('worker threads', () => {
    after(() => setNumThreads(1));

    it('with workers, each op carries their time during it: conv tasks in its jobs, none in an elementwise op; without, no such fields', async () => {
      const g = new Generator(5);
      const x = randn([32, 16, 32, 32], { generator: g });
      const w = randn([16, 16, 3, 3], { generator: g, requiresGrad: true });
      const step = (): void => sum(mul(conv2d(x, w, null, { padding: 1 }), two)).backward();
      const alone = profileOps(step).profile;
      expect(alone.workers).to.equal(0);
      expect(alone).not.to.have.any.keys('workerJobsMs', 'workerBackgroundMs');
      for (const t of alone.ops) expect(t).not.to.have.any.keys('workerJobsMs', 'workerBackgroundMs');
      expect(await setNumThreads(2)).to.equal(true);
      let jobs = 0;
      for (let round = 0; round < 10 && jobs === 0; round++) { // a busy machine may deschedule the worker
        const { profile } = profileOps(step);
        expect(profile.workers).to.equal(1);
        const conv = entry(profile.ops, 'op', 'conv2d')!;
        jobs = conv.workerJobsMs!;
        expect(jobs).to.be.at.most(conv.ms + 1);
        // The whole call's worker time holds every op's.
        expect(profile.workerJobsMs).to.be.at.least(profile.ops.reduce((s, t) => s + t.workerJobsMs!, 0) - 1e-9).and.at.most(profile.totalMs + 1);
        expect(entry(profile.ops, 'op', 'mul')!.workerJobsMs).to.equal(0);
        for (const t of profile.ops) expect(t.workerBackgroundMs).to.be.at.least(0);
      }
      expect(jobs, 'the worker took some of the conv\'s tasks').to.be.greaterThan(0);
    });
  });

  it('rejects nested calls, async functions and non-functions, and is off again after a throw', () => {
    expect(() => profileOps(() => profileOps(() => 1))).to.throw(ArgumentError, /already profiling/);
    expect(() => profileOps(async () => 1)).to.throw(ArgumentError, /Promise/);
    expect(() => profileOps(7 as unknown as () => number)).to.throw(ArgumentError, /fn must be a function, got number/);
    expect(() => profileOps(() => { throw new Error('boom'); })).to.throw('boom');
    expect(profileOps(() => 1).profile.ops).to.deep.equal([]);
  });
});
