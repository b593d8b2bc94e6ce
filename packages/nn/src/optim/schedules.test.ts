import { ArgumentError, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { clipGradNorm } from './clip.js';
import { CosineAnnealingLR, LinearLR, type LRScheduler, MultiStepLR, SequentialLR, StepLR } from './lr-scheduler.js';
import { SGD } from './sgd.js';

const sgd = (): SGD => new SGD([tensor([0], { requiresGrad: true })], { lr: 0.1 });

/** The lr used at each of n epochs (read before each step, as a training loop would). */
function lrs(opt: SGD, scheduler: LRScheduler, n = 12): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(opt.paramGroups[0]!.lr);
    scheduler.step();
  }
  return out;
}

function expectClose(actual: number[], expected: number[]): void {
  actual.forEach((v, i) => expect(v, `epoch ${i}`).to.be.closeTo(expected[i]!, 1e-12));
}

// Expected values: torch.optim.lr_scheduler (PyTorch 1.13) with the same arguments.
describe('LR schedules', () => {
  it('StepLR and MultiStepLR', () => {
    let opt = sgd();
    expectClose(lrs(opt, new StepLR(opt, 3, 0.5)), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125]);
    opt = sgd();
    expectClose(lrs(opt, new MultiStepLR(opt, [2, 5], 0.1)), [0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001]);
  });

  it('CosineAnnealingLR', () => {
    const opt = sgd();
    expectClose(lrs(opt, new CosineAnnealingLR(opt, 10, 0.001)), [
      0.1, 0.097577297557, 0.090546341222, 0.079595369988, 0.065796341222, 0.0505,
      0.035203658778, 0.021404630012, 0.010453658778, 0.003422702443, 0.001, 0.003422702443,
    ]);
  });

  it('LinearLR warm-up, and warm-up chained into cosine annealing with SequentialLR', () => {
    let opt = sgd();
    expectClose(lrs(opt, new LinearLR(opt, 0.25, 1, 4)), [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
    opt = sgd();
    const chained = new SequentialLR(opt, [new LinearLR(opt, 0.25, 1, 4), new CosineAnnealingLR(opt, 6)], [4]);
    expectClose(lrs(opt, chained), [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.093301270189, 0.075, 0.05, 0.025, 0.006698729811, 0, 0.006698729811]);
  });

  it('resumes from its state dict', () => {
    const a = sgd();
    const s = new CosineAnnealingLR(a, 10);
    for (let i = 0; i < 4; i++) s.step();
    const b = sgd();
    b.paramGroups[0]!.lr = 0.5; // a restored optimizer's lr must not become the new base
    const t = new CosineAnnealingLR(b, 10);
    t.loadStateDict(s.stateDict());
    expect(b.paramGroups[0]!.lr).to.equal(a.paramGroups[0]!.lr);
    expect(t.getLastLr()).to.deep.equal(s.getLastLr());
  });

  it('rejects bad arguments', () => {
    expect(() => new StepLR(sgd(), 0)).to.throw(ArgumentError, /StepLR: stepSize must be a positive integer, got 0/);
    const opt = sgd();
    expect(() => new SequentialLR(opt, [new LinearLR(opt)], [3])).to.throw(ArgumentError, /one milestone fewer than schedulers/);
    expect(() => new SequentialLR(opt, [new LinearLR(opt), new StepLR(sgd(), 2)], [3])).to.throw(ArgumentError, /same optimizer/);
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
