import { readFileSync } from 'node:fs';
import { ArgumentError, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { clipGradNorm } from './clip.js';
import { StateDictError } from '../errors.js';
import { CosineAnnealingLR, LinearLR, type LRScheduler, MultiStepLR, type SchedulerState, SequentialLR, StepLR } from './lr-scheduler.js';
import { SGD } from './sgd.js';

const sgd = (lrs: number[] = [0.1]): SGD => new SGD(lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })));

interface FixtureCase {
  name: string;
  lrs: number[];
  schedulers: Spec[];
  steps: (number | null)[];
  expected: number[][];
  lastLr: number[][];
}
type Spec = [string, Record<string, any>];

// Written by scripts/lr-schedules-fixture.py with PyTorch 1.13's torch.optim.lr_scheduler.
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/lr-schedules.json', import.meta.url), 'utf8')) as { torch: string; cases: FixtureCase[] };

/** Our scheduler for a fixture spec (PyTorch's argument names), built as a PyTorch user would. */
function build(opt: SGD, [kind, a]: Spec): LRScheduler {
  switch (kind) {
    case 'StepLR': return new StepLR(opt, a.step_size, a.gamma);
    case 'MultiStepLR': return new MultiStepLR(opt, a.milestones, a.gamma);
    case 'CosineAnnealingLR': return new CosineAnnealingLR(opt, a.T_max, a.eta_min);
    case 'LinearLR': return new LinearLR(opt, a.start_factor, a.end_factor, a.total_iters);
    case 'SequentialLR': return new SequentialLR(opt, (a.schedulers as Spec[]).map((s) => build(opt, s)), a.milestones);
    default: throw new Error(`no scheduler ${kind}`);
  }
}

/** Group lrs after construction and after each step, as the fixture records them. */
function run(c: FixtureCase): { lrs: number[][]; schedulers: LRScheduler[]; opt: SGD } {
  const opt = sgd(c.lrs);
  const schedulers = c.schedulers.map((s) => build(opt, s));
  const lrs = [opt.paramGroups.map((g) => g.lr)];
  for (const epoch of c.steps) {
    for (const s of schedulers) s.step(epoch ?? undefined);
    lrs.push(opt.paramGroups.map((g) => g.lr));
  }
  return { lrs, schedulers, opt };
}

function expectClose(actual: number[][], expected: number[][], what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  actual.forEach((row, t) => row.forEach((v, i) => expect(v, `${what}: step ${t}, group ${i}`).to.be.closeTo(expected[t]![i]!, 1e-15 + 1e-12 * Math.abs(expected[t]![i]!))));
}

describe('LR schedules match PyTorch 1.13 (alone, chained, SequentialLR, step(epoch))', () => {
  it('the fixture was written by PyTorch 1.13', () => {
    expect(fixture.torch).to.match(/^1\.13/);
    expect(fixture.cases.length).to.be.greaterThan(10);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const { lrs, schedulers } = run(c);
      expectClose(lrs, c.expected, c.name);
      expectClose(schedulers.map((s) => s.getLastLr()), c.lastLr, `${c.name} getLastLr`);
    });
  }

  it('two chained schedulers compose (the warm-up is not lost): LinearLR then StepLR', () => {
    // lr 0.1, LinearLR(0.5 → 1 over 4) and StepLR(3, 0.5) stepped together: at epoch 3 the
    // warm-up factor 0.875 and one decay 0.5 both apply: 0.1 · 0.875 · 0.5 = 0.04375.
    const opt = sgd();
    const warm = new LinearLR(opt, 0.5, 1, 4);
    const decay = new StepLR(opt, 3, 0.5);
    expect(opt.paramGroups[0]!.lr).to.equal(0.05);
    for (let i = 0; i < 3; i++) [warm, decay].forEach((s) => s.step());
    expect(opt.paramGroups[0]!.lr).to.be.closeTo(0.04375, 1e-15);
  });

  it('SequentialLR switches exactly at its milestone (one epoch late would differ)', () => {
    // Warm-up cut short at epoch 3: the linear factor there would be 0.37, the cosine's epoch 0 is 1.
    const opt = sgd();
    const s = new SequentialLR(opt, [new LinearLR(opt, 0.1, 1, 10), new CosineAnnealingLR(opt, 8)], [3]);
    const seen = [opt.paramGroups[0]!.lr];
    for (let i = 0; i < 5; i++) {
      s.step();
      seen.push(opt.paramGroups[0]!.lr);
    }
    const cos = (e: number): number => 0.05 * (1 + Math.cos((Math.PI * e) / 8));
    expectClose([seen], [[0.01, 0.019, 0.028, cos(0), cos(1), cos(2)]], 'SequentialLR');
    expect(s.getLastLr()[0]).to.equal(seen[5]);
  });

  it('resumes exactly from the optimizer and scheduler state dicts (SequentialLR included)', () => {
    const make = (): [SGD, SequentialLR] => {
      const opt = sgd([0.1, 0.05]);
      return [opt, new SequentialLR(opt, [new LinearLR(opt, 0.1, 1, 10), new StepLR(opt, 2, 0.5), new CosineAnnealingLR(opt, 5)], [3, 6])];
    };
    const [a, s] = make();
    const straight: number[][] = [];
    for (let i = 0; i < 12; i++) {
      s.step();
      straight.push(a.paramGroups.map((g) => g.lr));
    }
    for (const at of [2, 4, 7]) {
      const [b, t] = make();
      for (let i = 0; i < at; i++) t.step();
      const [c, u] = make();
      c.paramGroups[0]!.lr = 0.5; // a restored optimizer's lr must not become the new base
      c.loadStateDict(b.stateDict());
      u.loadStateDict(JSON.parse(JSON.stringify(t.stateDict())) as SchedulerState);
      expect(u.getLastLr()).to.deep.equal(t.getLastLr());
      const resumed: number[][] = [];
      for (let i = at; i < 12; i++) {
        u.step();
        resumed.push(c.paramGroups.map((g) => g.lr));
      }
      expect(resumed, `resumed after ${at}`).to.deep.equal(straight.slice(at));
    }
  });

  it('a SequentialLR state saved before it recorded its schedulers still resumes', () => {
    const make = (): [SGD, SequentialLR] => {
      const opt = sgd();
      return [opt, new SequentialLR(opt, [new LinearLR(opt, 0.1, 1, 4), new CosineAnnealingLR(opt, 6)], [4])];
    };
    const [a, s] = make();
    for (let i = 0; i < 6; i++) s.step();
    const [b, t] = make();
    b.loadStateDict(a.stateDict());
    const { lastEpoch, baseLrs } = s.stateDict();
    t.loadStateDict({ lastEpoch, baseLrs });
    s.step();
    t.step();
    expect(b.paramGroups[0]!.lr).to.equal(a.paramGroups[0]!.lr);
  });

  it('rejects bad arguments and states', () => {
    expect(() => new StepLR(sgd(), 0)).to.throw(ArgumentError, /StepLR: stepSize must be a finite integer >= 1, got 0/);
    const opt = sgd();
    expect(() => new SequentialLR(opt, [new LinearLR(opt)], [3])).to.throw(ArgumentError, /one milestone fewer than schedulers/);
    expect(() => new SequentialLR(opt, [new LinearLR(opt), new StepLR(sgd(), 2)], [3])).to.throw(ArgumentError, /schedulers\[1\] drives another optimizer/);
    const s = new StepLR(opt, 2);
    expect(() => s.loadStateDict({ lastEpoch: 1.5, baseLrs: [0.1, 0.2] })).to.throw(StateDictError, /lastEpoch must be an integer[^]*baseLrs must be 1 finite lr/);
    opt.paramGroups[0]!.lr = Infinity;
    expect(() => s.step()).to.throw(ArgumentError, /StepLR.step: the lr of group 0 at epoch 1 must be a finite number >= 0, got Infinity/);
    expect(s.lastEpoch).to.equal(0);
  });
});

describe('clipGradNorm', () => {
  it('scales all gradients jointly to maxNorm and returns the norm before clipping', () => {
    const a = tensor([3, 4], { requiresGrad: true });
    const b = tensor([12], { requiresGrad: true });
    a.grad = tensor([3, 4]);
    b.grad = tensor([12]);
    // ‖(3, 4, 12)‖ = 13 → scale by 6.5 / (13 + 1e-6)
    expect(clipGradNorm([a, b], 6.5)).to.equal(13);
    expect(Array.from(a.grad.data)).to.deep.equal([Math.fround(1.4999998807907104), Math.fround(1.9999998807907104)]);
    expect(b.grad.data[0]).to.be.closeTo(6, 1e-6);
    expect(clipGradNorm([a, b], 100)).to.be.closeTo(6.5, 1e-5);
    expect(b.grad.data[0]).to.be.closeTo(6, 1e-6);
    expect(clipGradNorm([a, b], 1, Infinity)).to.be.closeTo(6, 1e-6);
    expect(b.grad.data[0]).to.be.closeTo(1, 1e-6);
  });
});
