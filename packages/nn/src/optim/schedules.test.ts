import { readFileSync } from 'node:fs';
import { ArgumentError, tensor } from '@tensorgrad/core';
import { Adam } from './adam.js';
import { OneCycleLR } from './one-cycle.js';
import { type Optimizer } from './optimizer.js';
import { ReduceLROnPlateau } from './reduce-on-plateau.js';
import { expect } from 'chai';
import { clipGradNorm } from './clip.js';
import { StateDictError } from '../errors.js';
import { CosineAnnealingLR, LinearLR, type LRScheduler, MultiStepLR, type SchedulerState, SequentialLR, StepLR } from './lr-scheduler.js';
import { SGD } from './sgd.js';

const sgd = (lrs: number[] = [0.1]): SGD => new SGD(lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })));

interface FixtureCase {
  name: string;
  optimizer?: 'Adam';
  lrs: number[];
  schedulers: Spec[];
  steps: (number | null)[];
  expected: number[][];
  lastLr: number[][];
  /** OneCycleLR cases: each group's momentum (Adam: beta1) after construction and each step. */
  momenta?: number[][];
  /** ReduceLROnPlateau cases: the metric of each step (null: NaN) and [best, numBadEpochs, cooldownCounter] after it. */
  metrics?: (number | null)[];
  plateau?: [number | string, number, number][];
  /** PyTorch raised at this step (-1: at construction): ValueError past totalSteps, ZeroDivisionError in a zero-length phase. */
  error?: { step: number; type: string };
}
type Spec = [string, Record<string, any>];

// Written by scripts/lr-schedules-fixture.py with PyTorch 1.13's torch.optim.lr_scheduler.
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/lr-schedules.json', import.meta.url), 'utf8')) as { torch: string; cases: FixtureCase[] };

/** PyTorch's keyword arguments as our options: max_lr → maxLr, three_phase → threePhase. */
const camel = (a: Record<string, any>): Record<string, any> =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

/** Our scheduler for a fixture spec (PyTorch's argument names), built as a PyTorch user would. */
function build(opt: Optimizer<any>, [kind, a]: Spec): LRScheduler {
  switch (kind) {
    case 'OneCycleLR': return new OneCycleLR(opt, camel(a) as never);
    case 'ReduceLROnPlateau': return new ReduceLROnPlateau(opt, camel(a));
    case 'StepLR': return new StepLR(opt, a.step_size, a.gamma);
    case 'MultiStepLR': return new MultiStepLR(opt, a.milestones, a.gamma);
    case 'CosineAnnealingLR': return new CosineAnnealingLR(opt, a.T_max, a.eta_min);
    case 'LinearLR': return new LinearLR(opt, a.start_factor, a.end_factor, a.total_iters);
    case 'SequentialLR': return new SequentialLR(opt, (a.schedulers as Spec[]).map((s) => build(opt, s)), a.milestones);
    default: throw new Error(`no scheduler ${kind}`);
  }
}

/** SGD's momentum or Adam's beta1, as OneCycleLR cycles it. */
const momentumOf = (g: Record<string, unknown>): number => (Array.isArray(g.betas) ? g.betas[0] : g.momentum) as number;

interface Run {
  lrs: number[][];
  momenta: number[][];
  plateau: [number, number, number][];
  schedulers: LRScheduler[];
  /** The step that threw (-1: construction), and its error. */
  error?: { step: number; error: unknown };
}

/** Group lrs (and momenta, plateau counters) after construction and after each step, as the fixture records them. */
function run(c: FixtureCase): Run {
  const opt: Optimizer<any> = c.optimizer === 'Adam' ? new Adam(c.lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr }))) : sgd(c.lrs);
  const out: Run = { lrs: [], momenta: [], plateau: [], schedulers: [] };
  try {
    out.schedulers = c.schedulers.map((s) => build(opt, s));
  } catch (error) {
    return { ...out, error: { step: -1, error } };
  }
  const record = (): void => {
    out.lrs.push(opt.paramGroups.map((g) => g.lr));
    out.momenta.push(opt.paramGroups.map(momentumOf));
  };
  record();
  for (const [i, epoch] of c.steps.entries()) {
    try {
      for (const s of out.schedulers) {
        if (s instanceof ReduceLROnPlateau) {
          s.step(c.metrics![i] ?? NaN);
          out.plateau.push([s.best, s.numBadEpochs, s.cooldownCounter]);
        } else s.step(epoch ?? undefined);
      }
    } catch (error) {
      return { ...out, error: { step: i, error } };
    }
    record();
  }
  return out;
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
      const r = run(c);
      // PyTorch lets OneCycleLR's extrapolated step totalSteps set a negative lr; ours refuses it.
      const negative = c.error?.step === -1 ? -1 : c.expected.findIndex((row) => row.some((lr) => lr < 0));
      if (negative >= 0) {
        expect(r.error?.step, 'the step to a negative lr throws').to.equal(negative - 1);
        expect(r.error!.error).to.be.instanceOf(ArgumentError).with.property('message').match(/OneCycleLR\.step: the lr of group \d at epoch \d+ must be a finite number >= 0, got -/);
        expectClose(r.lrs, c.expected.slice(0, negative), c.name);
        return;
      }
      if (c.error !== undefined) {
        expect(r.error?.step, `${c.name}: PyTorch's ${c.error.type}`).to.equal(c.error.step);
        expect(r.error!.error).to.be.instanceOf(ArgumentError).with.property('message')
          .match(c.error.type === 'ValueError' ? /^OneCycleLR\.step: tried to step \d+ times; the cycle has totalSteps \d+$/ : /^OneCycleLR\.step: step \d+ falls in phase \d, which has zero length/);
      } else expect(r.error, c.name).to.equal(undefined);
      if (c.error?.step === -1) return;
      expectClose(r.lrs, c.expected, c.name);
      expectClose(r.schedulers.map((s) => s.getLastLr()), c.lastLr, `${c.name} getLastLr`);
      if (c.momenta !== undefined) expectClose(r.momenta, c.momenta, `${c.name} momenta`);
      if (c.plateau !== undefined) {
        const best = (b: number | string): number => (typeof b === 'number' ? b : Number(b));
        expect(r.plateau, `${c.name} best, numBadEpochs, cooldownCounter`).to.deep.equal(c.plateau.map(([b, n, k]) => [best(b), n, k]));
      }
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
