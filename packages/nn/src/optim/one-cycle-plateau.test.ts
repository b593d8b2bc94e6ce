// OneCycleLR and ReduceLROnPlateau beyond the PyTorch fixture (schedules.test.ts): exact resume
// from state dicts and checkpoints, RMSprop's momentum, SequentialLR, and every argument check.
import { ArgumentError, type Tensor, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { checkpointToBytes, loadCheckpointFromBytes } from '../checkpoint/checkpoint.js';
import { StateDictError } from '../errors.js';
import { Linear } from '../layers/linear.js';
import { Adam } from './adam.js';
import { SequentialLR, StepLR } from './lr-scheduler.js';
import { OneCycleLR } from './one-cycle.js';
import { Optimizer, type ParamGroup } from './optimizer.js';
import { throwsExactly } from './optimizer-cases.test.js';
import { type PlateauState, ReduceLROnPlateau } from './reduce-on-plateau.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

const param = (): Tensor => tensor([0], { requiresGrad: true });
const sgd = (lrs: number[] = [0.1]): SGD => new SGD(lrs.map((lr) => ({ params: [param()], lr })));
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const metrics = [1, 0.9, 0.95, 0.97, 0.96, 0.8, 0.85, 0.86, 0.87, 0.7, 0.7, 0.71, 0.72, 0.73];

describe('OneCycleLR and ReduceLROnPlateau: states and resume', () => {
  it('OneCycleLR resumes exactly from the optimizer (lr, momentum) and scheduler states', () => {
    const make = (): [SGD, OneCycleLR] => {
      const opt = sgd([0.1, 0.05]);
      return [opt, new OneCycleLR(opt, { maxLr: [1, 0.5], totalSteps: 12, threePhase: true, annealStrategy: 'linear', pctStart: 0.25 })];
    };
    const [a, s] = make();
    const seen = (o: SGD): number[][] => o.paramGroups.map((g) => [g.lr, g.momentum]);
    const straight: number[][][] = [];
    for (let i = 0; i < 11; i++) {
      s.step();
      straight.push(seen(a));
    }
    for (const at of [0, 2, 5, 9]) {
      const [b, t] = make();
      for (let i = 0; i < at; i++) t.step();
      const [c, u] = make();
      c.loadStateDict(b.stateDict());
      u.loadStateDict(json(t.stateDict()));
      expect(u.lastEpoch).to.equal(at);
      const resumed: number[][][] = [];
      for (let i = at; i < 11; i++) {
        u.step();
        resumed.push(seen(c));
      }
      expect(resumed, `resumed after ${at}`).to.deep.equal(straight.slice(at));
    }
  });

  it('OneCycleLR refuses a state past its totalSteps', () => {
    const s = new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 5 });
    throwsExactly(() => s.loadStateDict({ lastEpoch: 6, baseLrs: [0.04], lastLr: [0.1] }), StateDictError,
      "OneCycleLR.loadStateDict: 1 problem(s):\n  lastEpoch 6 is past the cycle's totalSteps 5");
    s.loadStateDict({ lastEpoch: 5, baseLrs: [0.04] });
    // Step 5 extrapolates the second phase (steps 0.5 to 4) to pct 4.5 / 3.5.
    expect(s.getLastLr()[0]).to.be.closeTo(4e-6 + ((1 - 4e-6) / 2) * (1 + Math.cos((Math.PI * 4.5) / 3.5)), 1e-15);
  });

  it('ReduceLROnPlateau resumes exactly, its best surviving JSON as the string Infinity before any step', () => {
    const make = (): [SGD, ReduceLROnPlateau] => {
      const opt = sgd([0.1, 0.02]);
      return [opt, new ReduceLROnPlateau(opt, { patience: 1, cooldown: 1, factor: 0.5, minLr: [0.01, 0.005] })];
    };
    const [a, s] = make();
    const straight = metrics.map((m) => {
      s.step(m);
      return a.paramGroups.map((g) => g.lr);
    });
    for (const at of [0, 3, 4, 6, 10]) {
      // After 3 steps one bad epoch is counted; after 4 the lr was cut and one cooldown step is left.
      const [b, t] = make();
      metrics.slice(0, at).forEach((m) => t.step(m));
      const saved = json(t.stateDict());
      if (at === 0) expect(saved.best).to.equal('Infinity');
      const [c, u] = make();
      c.loadStateDict(b.stateDict());
      u.loadStateDict(saved);
      expect(u.stateDict()).to.deep.equal(t.stateDict());
      const resumed = metrics.slice(at).map((m) => {
        u.step(m);
        return c.paramGroups.map((g) => g.lr);
      });
      expect(resumed, `resumed after ${at}`).to.deep.equal(straight.slice(at));
    }
  });

  it("mode 'max' keeps -Infinity as its best through JSON; a one-element tensor is a metric", () => {
    const s = new ReduceLROnPlateau(sgd(), { mode: 'max', patience: 0 });
    const saved = json(s.stateDict());
    expect(saved.best).to.equal('-Infinity');
    const t = new ReduceLROnPlateau(sgd(), { mode: 'max', patience: 0 });
    t.loadStateDict(saved);
    expect(t.best).to.equal(-Infinity);
    t.step(tensor([[0.25]]));
    expect(t.best).to.equal(0.25);
    t.step(tensor(0.25));
    expect(t.getLastLr()[0]).to.be.closeTo(0.01, 1e-17);
  });

  it('checkpoints hold both schedulers (loadCheckpointFromBytes restores lr, momentum and counters)', () => {
    const train = (scheduler: (o: SGD) => OneCycleLR | ReduceLROnPlateau, steps: number): [Linear, SGD, OneCycleLR | ReduceLROnPlateau] => {
      const model = new Linear(2, 1);
      const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const s = scheduler(opt);
      for (let i = 0; i < steps; i++) {
        if (s instanceof ReduceLROnPlateau) s.step(metrics[i]!);
        else s.step();
      }
      return [model, opt, s];
    };
    const oneCycle = (o: SGD): OneCycleLR => new OneCycleLR(o, { maxLr: 1, totalSteps: 10 });
    const plateau = (o: SGD): ReduceLROnPlateau => new ReduceLROnPlateau(o, { patience: 1 });
    for (const make of [oneCycle, plateau]) {
      const [model, optimizer, scheduler] = train(make, 4);
      const bytes = checkpointToBytes({ model, optimizer, scheduler });
      const [m2, o2, s2] = train(make, 0);
      loadCheckpointFromBytes(bytes, { model: m2, optimizer: o2, scheduler: s2 });
      expect(s2.stateDict()).to.deep.equal(scheduler.stateDict());
      expect(o2.paramGroups[0]!.lr).to.equal(optimizer.paramGroups[0]!.lr);
      expect(o2.paramGroups[0]!.momentum).to.equal(optimizer.paramGroups[0]!.momentum);
    }
    const [model, optimizer, scheduler] = train(plateau, 2);
    const bad = checkpointToBytes({ model, optimizer, scheduler: new StepLR(optimizer, 2) });
    expect(() => loadCheckpointFromBytes(bad, { model, optimizer, scheduler })).to.throw(StateDictError, /best must be a finite number[^]*numBadEpochs must be/);
  });

  it('records no initial lr: a scheduler attached after a reduction starts from the current lr (as PyTorch)', () => {
    const opt = sgd();
    const s = new ReduceLROnPlateau(opt, { patience: 0 });
    s.step(1);
    s.step(1);
    expect(new StepLR(opt, 2).baseLrs).to.deep.equal([opt.paramGroups[0]!.lr]);
    expect(opt.paramGroups[0]!.lr).to.be.closeTo(0.01, 1e-17);
  });

  it('rejects bad plateau states, naming every problem', () => {
    const s = new ReduceLROnPlateau(sgd());
    const ok = s.stateDict();
    expect(s.checkStateDict({ ...ok, best: null, numBadEpochs: -1, cooldownCounter: 1.5 })).to.deep.equal([
      "best must be a finite number, 'Infinity' or '-Infinity', got null",
      'numBadEpochs must be an integer >= 0, got -1',
      'cooldownCounter must be an integer >= 0, got 1.5',
    ]);
    const { lastLr: _, ...noLastLr } = ok;
    expect(s.checkStateDict(noLastLr)).to.deep.equal(['lastLr is missing (ReduceLROnPlateau has no closed form to recompute it)']);
    expect(() => s.loadStateDict({ ...ok, best: NaN } as PlateauState)).to.throw(StateDictError, /best must be/);
    expect(s.best).to.equal(Infinity);
  });
});

describe('OneCycleLR: optimizers and composition', () => {
  it("cycles RMSprop's momentum and Adam's beta1 (beta2 kept)", () => {
    const rms = new RMSprop([param()], { lr: 0.1 });
    new OneCycleLR(rms, { maxLr: 1, totalSteps: 4, maxMomentum: 0.9 }).step();
    expect(rms.paramGroups[0]!.momentum).to.be.lessThan(0.9).and.greaterThan(0.85);
    const adam = new Adam([param()], { betas: [0.5, 0.99] });
    new OneCycleLR(adam, { maxLr: 1, totalSteps: 4 });
    expect(adam.paramGroups[0]!.betas[0]).to.be.closeTo(0.95, 1e-15);
    expect(adam.paramGroups[0]!.betas[1]).to.equal(0.99);
  });

  it('an optimizer without momentum or betas needs cycleMomentum: false', () => {
    class Plain extends Optimizer<{ lr: number }> {
      constructor(ps: Tensor[]) {
        super(ps, { lr: 0.1 });
      }
      protected validate(): void {}
      protected update(): void {}
    }
    const opt = new Plain([param()]);
    throwsExactly(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 4 }), ArgumentError,
      'OneCycleLR: cycleMomentum needs an optimizer with a momentum or betas (SGD, RMSprop, Adam...), got Plain; pass cycleMomentum: false');
    new OneCycleLR(opt, { maxLr: 1, totalSteps: 4, cycleMomentum: false }).step();
    expect(opt.paramGroups[0]).to.not.have.property('momentum');
    expect((opt.paramGroups[0] as ParamGroup<{ lr: number }>).lr).to.be.greaterThan(0.04);
  });

  it('a failed construction leaves the groups untouched (no initial lr recorded, no momentum set)', () => {
    const opt = new SGD([param()], { lr: 0.1, momentum: 0.5 });
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 0.1 })).to.throw(ArgumentError,
      'OneCycleLR.step: step 0 falls in phase 1, which has zero length (pctStart 0.1, totalSteps 10)');
    expect(opt.paramGroups[0]!.momentum).to.equal(0.5);
    expect(new StepLR(opt, 2).baseLrs).to.deep.equal([0.1]);
  });
});

describe('OneCycleLR and ReduceLROnPlateau: exact argument messages', () => {
  it('OneCycleLR', () => {
    const opt = sgd([0.1, 0.2]);
    const bad = (options: object, message: string): void => throwsExactly(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 5, ...options }), ArgumentError, message);
    throwsExactly(() => new OneCycleLR(5 as never, { maxLr: 1, totalSteps: 5 }), ArgumentError, 'OneCycleLR: optimizer must be an Optimizer (SGD, Adam...), got 5');
    throwsExactly(() => new OneCycleLR(opt, undefined as never), ArgumentError,
      'OneCycleLR: options must be an object with at least maxLr, and totalSteps or epochs and stepsPerEpoch, got undefined');
    throwsExactly(() => new OneCycleLR(opt, { maxLr: 1 }), ArgumentError, 'OneCycleLR: needs totalSteps, or epochs and stepsPerEpoch, got epochs undefined and stepsPerEpoch undefined');
    throwsExactly(() => new OneCycleLR(opt, { maxLr: 1, epochs: 3 }), ArgumentError, 'OneCycleLR: needs totalSteps, or epochs and stepsPerEpoch, got epochs 3 and stepsPerEpoch undefined');
    throwsExactly(() => new OneCycleLR(opt, { maxLr: 1, epochs: 0, stepsPerEpoch: 3 }), ArgumentError, 'OneCycleLR: epochs must be a finite integer >= 1, got 0');
    throwsExactly(() => new OneCycleLR(opt, { maxLr: 1, epochs: 2, stepsPerEpoch: 2.5 }), ArgumentError, 'OneCycleLR: stepsPerEpoch must be a finite integer >= 1, got 2.5');
    bad({ totalSteps: 0 }, 'OneCycleLR: totalSteps must be a finite integer >= 1, got 0');
    bad({ epochs: 2, stepsPerEpoch: 3 }, 'OneCycleLR: totalSteps 5 contradicts epochs 2 × stepsPerEpoch 3; give one or the other');
    bad({ three_phase: true }, "OneCycleLR: unknown option 'three_phase' in options (did you mean 'threePhase'?); accepted: maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase");
    bad({ maxLr: [1] }, 'OneCycleLR: maxLr must be one number or 2 (one per param group), got 1');
    bad({ maxLr: [1, -1] }, 'OneCycleLR: maxLr[1] must be a finite number >= 0, got -1');
    bad({ maxLr: NaN }, 'OneCycleLR: maxLr must be a finite number >= 0, got NaN');
    bad({ pctStart: 1.5 }, 'OneCycleLR: pctStart must be a finite number >= 0 and <= 1, got 1.5');
    bad({ annealStrategy: 'cosine' }, "OneCycleLR: annealStrategy must be 'cos' or 'linear', got 'cosine'");
    bad({ cycleMomentum: 'no' }, "OneCycleLR: cycleMomentum must be a boolean, got 'no'");
    bad({ baseMomentum: [0.8, 0.8, 0.8] }, 'OneCycleLR: baseMomentum must be one number or 2 (one per param group), got 3');
    bad({ maxMomentum: -0.1 }, 'OneCycleLR: maxMomentum must be a finite number >= 0, got -0.1');
    bad({ divFactor: 0 }, 'OneCycleLR: divFactor must be a finite number > 0, got 0');
    bad({ finalDivFactor: Infinity }, 'OneCycleLR: finalDivFactor must be a finite number > 0, got Infinity');
    bad({ threePhase: 1 }, 'OneCycleLR: threePhase must be a boolean, got 1');
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 2 });
    s.step();
    s.step();
    // PyTorch's count and message: the construction's step is the first.
    throwsExactly(() => s.step(), ArgumentError, 'OneCycleLR.step: tried to step 4 times; the cycle has totalSteps 2');
    expect(s.lastEpoch).to.equal(2);
    throwsExactly(() => s.step(5), ArgumentError, 'OneCycleLR.step: tried to step 6 times; the cycle has totalSteps 2');
  });

  it('ReduceLROnPlateau', () => {
    const opt = sgd([0.1, 0.2]);
    const bad = (options: object, message: string): void => throwsExactly(() => new ReduceLROnPlateau(opt, options), ArgumentError, message);
    throwsExactly(() => new ReduceLROnPlateau({} as never), ArgumentError, 'ReduceLROnPlateau: optimizer must be an Optimizer (SGD, Adam...), got a Object');
    bad({ mode: 'minimum' }, "ReduceLROnPlateau: mode must be 'min' or 'max', got 'minimum'");
    bad({ factor: 1 }, 'ReduceLROnPlateau: factor must be a finite number >= 0 and < 1, got 1');
    bad({ patience: -1 }, 'ReduceLROnPlateau: patience must be a finite integer >= 0, got -1');
    bad({ threshold: -1e-4 }, 'ReduceLROnPlateau: threshold must be a finite number >= 0, got -0.0001');
    bad({ thresholdMode: 'relative' }, "ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got 'relative'");
    bad({ cooldown: 0.5 }, 'ReduceLROnPlateau: cooldown must be a finite integer >= 0, got 0.5');
    bad({ minLr: [0] }, 'ReduceLROnPlateau: minLr must be one number or 2 (one per param group), got 1');
    bad({ minLr: [0, -1] }, 'ReduceLROnPlateau: minLr[1] must be a finite number >= 0, got -1');
    bad({ eps: -1 }, 'ReduceLROnPlateau: eps must be a finite number >= 0, got -1');
    bad({ min_lr: 0 }, "ReduceLROnPlateau: unknown option 'min_lr' in options (did you mean 'minLr'?); accepted: mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps");
    const s = new ReduceLROnPlateau(opt);
    expect(s.stepsOnMetric).to.equal(true);
    expect(new StepLR(opt, 2).stepsOnMetric).to.equal(false);
    throwsExactly(() => s.step(), ArgumentError,
      'ReduceLROnPlateau.step: metric must be a number or a one-element tensor (the value to watch, e.g. the validation loss), got undefined');
    throwsExactly(() => s.step('0.5' as never), ArgumentError,
      "ReduceLROnPlateau.step: metric must be a number or a one-element tensor (the value to watch, e.g. the validation loss), got '0.5'");
    throwsExactly(() => s.step(tensor([1, 2])), ArgumentError, 'ReduceLROnPlateau.step: metric must be a number or a one-element tensor, got a tensor of shape [2]');
    expect(s.lastEpoch).to.equal(0);
    throwsExactly(() => new SequentialLR(opt, [new StepLR(opt, 2), s], [3]), ArgumentError,
      'SequentialLR: schedulers[1] is a ReduceLROnPlateau, which steps on a metric and has no schedule to sequence');
  });
});
