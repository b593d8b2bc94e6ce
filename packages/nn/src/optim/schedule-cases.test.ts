// Cases schedules.test.ts leaves open: LRScheduler with only a closed form, SequentialLR's closed
// form (used for getLastLr after loading a state without lastLr) and its sub-scheduler states,
// clipGradNorm's non-finite handling, and the exact message of every argument and state check.
import { ArgumentError, type Tensor, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { StateDictError } from '../errors.js';
import { clipGradNorm } from './clip.js';
import { CosineAnnealingLR, LinearLR, LRScheduler, MultiStepLR, type SchedulerState, SequentialLR, StepLR } from './lr-scheduler.js';
import { throwsExactly } from './optimizer-cases.test.js';
import { SGD } from './sgd.js';

const sgd = (lrs: number[] = [0.1]): SGD => new SGD(lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })));

describe('LRScheduler and SequentialLR: closed forms and states', () => {
  it('a scheduler given only its closed form uses it for step() too', () => {
    const opt = sgd();
    const s = new LRScheduler(opt, (base, epoch) => base * 0.5 ** epoch);
    s.step();
    s.step();
    expect(opt.paramGroups[0]!.lr).to.equal(0.025);
    throwsExactly(() => new LRScheduler(opt, 5 as never), ArgumentError, 'LRScheduler: lrAt must be a function (base lr, epoch) => lr, got 5');
  });

  it('a state without lastLr takes getLastLr from the closed form', () => {
    const s = new StepLR(sgd(), 2, 0.5);
    s.loadStateDict({ lastEpoch: 5, baseLrs: [0.1] });
    expect(s.getLastLr()).to.deep.equal([0.025]);
  });

  // Three phases: LinearLR warm-up to epoch 4, StepLR to 7, then cosine; one epoch in each phase.
  const three = (): [SGD, SequentialLR] => {
    const opt = sgd();
    return [opt, new SequentialLR(opt, [new LinearLR(opt, 0.5, 1, 2), new StepLR(opt, 2, 0.5), new CosineAnnealingLR(opt, 5, 0.001)], [4, 7])];
  };

  it("SequentialLR's closed form offsets each phase's epoch by its milestone", () => {
    const [, s] = three();
    const straight = [s.getLastLr()[0]!];
    for (let e = 1; e <= 10; e++) {
      s.step();
      straight.push(s.getLastLr()[0]!);
    }
    for (const e of [1, 6, 9]) {
      const [, t] = three();
      t.loadStateDict({ lastEpoch: e, baseLrs: [0.1] });
      expect(t.getLastLr()[0], `epoch ${e}`).to.be.closeTo(straight[e]!, 1e-15);
    }
  });

  it('SequentialLR restores every sub-scheduler, and a state without them from the milestones (first phase too)', () => {
    const [a, s] = three();
    for (let i = 0; i < 5; i++) s.step();
    const saved = JSON.parse(JSON.stringify(s.stateDict())) as SchedulerState;
    const [, t] = three();
    t.loadStateDict(saved);
    expect(t.stateDict()).to.deep.equal(saved);

    const [b, u] = three();
    const [c, v] = three();
    b.step();
    u.step();
    c.loadStateDict(b.stateDict());
    v.loadStateDict({ lastEpoch: 1, baseLrs: [0.1] });
    u.step();
    v.step();
    expect(c.paramGroups[0]!.lr).to.equal(b.paramGroups[0]!.lr);
    expect(a.paramGroups[0]!.lr).to.be.a('number');
  });

  it('rejects bad states, naming the sub-scheduler', () => {
    const [, s] = three();
    expect(s.checkStateDict(null)).to.deep.equal(['expected a scheduler state object, got null']);
    expect(new StepLR(sgd(), 2).checkStateDict(5)).to.deep.equal(['expected a scheduler state object, got 5']);
    const ok = s.stateDict();
    expect(s.checkStateDict({ ...ok, schedulers: 5 })).to.deep.equal(['schedulers must hold 3 scheduler state(s), got 5']);
    expect(s.checkStateDict({ ...ok, schedulers: [{ lastEpoch: 0, baseLrs: [0.1] }] })).to.deep.equal([
      'schedulers must hold 3 scheduler state(s), got [{"lastEpoch":0,"baseLrs":[0.1]}]',
    ]);
    const subs = ok.schedulers!.map((x, i) => (i === 1 ? { lastEpoch: -2, baseLrs: [0.1] } : x));
    expect(s.checkStateDict({ ...ok, schedulers: subs })).to.deep.equal(['schedulers[1]: lastEpoch must be an integer >= -1, got -2']);

    const step = new StepLR(sgd([0.1, 0.2]), 2);
    const lrs = (baseLrs: unknown[]): string[] => step.checkStateDict({ lastEpoch: 0, baseLrs });
    for (const [bad, shown] of [[[NaN, 0.1], '[null,0.1]'], [[Infinity, 0.1], '[null,0.1]'], [['0.1', 0.1], '["0.1",0.1]'], [[0.1, -1], '[0.1,-1]']] as const) {
      expect(lrs([...bad])).to.deep.equal([`baseLrs must be 2 finite lr(s) >= 0, got ${shown}`]);
    }
    expect(lrs([0, 0])).to.deep.equal([]);
    throwsExactly(() => step.loadStateDict({ lastEpoch: 1, baseLrs: [0.1, 0.2], lastLr: [0.1, -1] }), StateDictError,
      'StepLR.loadStateDict: 1 problem(s):\n  lastLr must be 2 finite lr(s) >= 0, got [0.1,-1]');
  });
});

describe('scheduler arguments: exact messages', () => {
  it('epochs, gammas, milestones, factors', () => {
    const opt = sgd();
    const s = new StepLR(opt, 2);
    throwsExactly(() => s.step(1.5), ArgumentError, 'StepLR.step: epoch must be a finite integer >= 0, got 1.5');
    throwsExactly(() => s.step(-1), ArgumentError, 'StepLR.step: epoch must be a finite integer >= 0, got -1');
    throwsExactly(() => new StepLR(opt, 2, -1), ArgumentError, 'StepLR: gamma must be a finite number >= 0, got -1');
    throwsExactly(() => new MultiStepLR(opt, 3 as never), ArgumentError, 'MultiStepLR: milestones must be an array of epochs, got 3');
    throwsExactly(() => new MultiStepLR(opt, [2], -1), ArgumentError, 'MultiStepLR: gamma must be a finite number >= 0, got -1');
    throwsExactly(() => new CosineAnnealingLR(opt, 0), ArgumentError, 'CosineAnnealingLR: tMax must be a finite integer >= 1, got 0');
    throwsExactly(() => new LinearLR(opt, 0.5, 1.5), ArgumentError, 'LinearLR: endFactor must be a finite number >= 0 and <= 1, got 1.5');
    throwsExactly(() => new LinearLR(opt, 0.5, 1, 0), ArgumentError, 'LinearLR: totalIters must be a finite integer >= 1, got 0');
  });

  it('SequentialLR', () => {
    const opt = sgd();
    const [a, b, c] = [new StepLR(opt, 2), new StepLR(opt, 3), new StepLR(opt, 4)];
    throwsExactly(() => new SequentialLR(opt, 'x' as never, []), ArgumentError, "SequentialLR: schedulers must be an array of LRSchedulers, got 'x'");
    throwsExactly(() => new SequentialLR(opt, [a, 5] as never, [2]), ArgumentError, 'SequentialLR: schedulers must be an array of LRSchedulers, got an array of length 2');
    throwsExactly(() => new SequentialLR(opt, [a], 3 as never), ArgumentError, 'SequentialLR: milestones must be an array of epochs, got 3');
    throwsExactly(() => new SequentialLR(opt, [a, b, c], [3, 3]), ArgumentError, 'SequentialLR: milestones must increase, got [3, 3]');
    throwsExactly(() => new SequentialLR(opt, [a, b, c], [4, 2]), ArgumentError, 'SequentialLR: milestones must increase, got [4, 2]');
  });
});

describe('clipGradNorm: non-finite norms, gradless parameters, exact messages', () => {
  const withGrad = (g: number[]): Tensor => {
    const p = tensor(g.map(() => 0), { requiresGrad: true });
    p.grad = tensor(g);
    return p;
  };

  it('skips parameters without a gradient; leaves gradients alone when coef is exactly 1', () => {
    const p = withGrad([3, 4]);
    const version = p.grad!.version.value;
    expect(clipGradNorm([p, tensor([1], { requiresGrad: true })], 5 + 1e-6)).to.equal(5);
    expect(p.grad!.version.value).to.equal(version);
    expect(Array.from(p.grad!.data)).to.deep.equal([3, 4]);
  });

  it('a non-finite norm is returned by default, thrown with errorIfNonfinite', () => {
    expect(clipGradNorm([withGrad([Infinity, 1])], 1)).to.equal(Infinity);
    expect(clipGradNorm([withGrad([3, 4])], 1, { errorIfNonfinite: true })).to.equal(5);
    throwsExactly(() => clipGradNorm([withGrad([NaN, 1])], 1, { errorIfNonfinite: true }), ArgumentError,
      'clipGradNorm: the total 2-norm of the gradients is NaN, so they cannot be clipped (errorIfNonfinite is set)');
  });

  it('checks normType, errorIfNonfinite and params', () => {
    const p = withGrad([1]);
    throwsExactly(() => clipGradNorm([p], 1, { normType: 0 }), ArgumentError, 'clipGradNorm: normType must be a finite number > 0, got 0');
    throwsExactly(() => clipGradNorm([p], 1, -1), ArgumentError, 'clipGradNorm: normType must be a finite number > 0, got -1');
    throwsExactly(() => clipGradNorm([p], 1, { errorIfNonfinite: 'yes' as never }), ArgumentError, "clipGradNorm: errorIfNonfinite must be a boolean, got 'yes'");
    const bad = 'clipGradNorm: params must be an iterable of Tensors (model.parameters()), got';
    throwsExactly(() => clipGradNorm(null as never, 1), ArgumentError, `${bad} null`);
    throwsExactly(() => clipGradNorm(5 as never, 1), ArgumentError, `${bad} 5`);
    throwsExactly(() => clipGradNorm({} as never, 1), ArgumentError, `${bad} a Object`);
    throwsExactly(() => clipGradNorm([p, 5] as never, 1), ArgumentError, 'clipGradNorm: params[1] must be a Tensor, got 5');
  });
});
