import { ArgumentError, DTypeError, ShapeError, type Tensor, tensor } from '@tensorgrad/core';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../module/containers.js';
import { expect } from 'chai';
import { StateDictError } from '../errors.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

// p starts at [1, -2]; step t (1-based) sees the gradient t·[0.5, -1]. Float64 throughout so
// the comparison is tight. Reference trajectories: PyTorch 1.13 (torch.optim) on the same
// inputs; the first steps are also derived by hand in the comments.
function trajectory(make: (ps: Tensor[]) => Optimizer<any>, steps = 3): number[][] {
  const p = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
  const opt = make([p]);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    p.grad = tensor([0.5 * t, -t], { dtype: 'float64' });
    opt.step();
    out.push(Array.from(p.data));
  }
  return out;
}

function expectClose(actual: number[][], expected: number[][], tol = 1e-12): void {
  actual.forEach((row, t) => row.forEach((v, i) => expect(v, `step ${t + 1} [${i}]`).to.be.closeTo(expected[t]![i]!, tol)));
}

describe('optimizers follow PyTorch step by step', () => {
  it('SGD: p -= lr·g', () => {
    // 1 - 0.1·0.5 = 0.95; 0.95 - 0.1·1 = 0.85; 0.85 - 0.1·1.5 = 0.7
    expectClose(trajectory((ps) => new SGD(ps, { lr: 0.1 })), [[0.95, -1.9], [0.85, -1.7], [0.7, -1.4]]);
  });

  it('SGD with momentum, dampening and weight decay', () => {
    // step 1: d = 0.5 + 0.01·1 = 0.51, b = d (no dampening on the first step), p = 1 - 0.051 = 0.949
    // step 2: d = 1 + 0.01·0.949 = 1.00949, b = 0.9·0.51 + 0.9·1.00949 = 1.367541, p = 0.949 - 0.1367541 = 0.8122459
    expectClose(trajectory((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })), [
      [0.949, -1.898], [0.8122459, -1.6244918], [0.55343618869, -1.10687237738],
    ]);
  });

  it('SGD with nesterov momentum', () => {
    // step 1: d = 0.51, b = 0.51, d' = 0.51 + 0.9·0.51 = 0.969, p = 1 - 0.0969 = 0.9031
    expectClose(trajectory((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })), [
      [0.9031, -1.8062], [0.67007411, -1.34014822], [0.264890458191, -0.529780916382],
    ]);
  });

  it('Adam', () => {
    // step 1: m = 0.05, v = 0.00025, √v/√(1-0.999) = 0.5, p = 1 - (0.1/0.1)·0.05/(0.5 + 1e-8) ≈ 0.900000002
    expectClose(trajectory((ps) => new Adam(ps, { lr: 0.1 })), [
      [0.900000002, -1.900000001], [0.803481800638509, -1.803481799028166], [0.707681679115366, -1.707681677061681],
    ]);
  });

  it('Adam with L2 weight decay and amsgrad', () => {
    expectClose(trajectory((ps) => new Adam(ps, { lr: 0.1, weightDecay: 0.1, amsgrad: true })), [
      [0.900000001666667, -1.900000000833333], [0.802502970320231, -1.80254723735785], [0.705695287964767, -1.705786770430212],
    ]);
  });

  it('AdamW decays the weights before the Adam step', () => {
    // step 1: p = 1·(1 - 0.1·0.1) - 0.1·(1 - 2e-8) ≈ 0.890000002
    expectClose(trajectory((ps) => new AdamW(ps, { lr: 0.1, weightDecay: 0.1 })), [
      [0.890000002, -1.880000001], [0.784581800618509, -1.764681799018166], [0.680935861089181, -1.6512348590615],
    ]);
    expect(new AdamW([tensor([1], { requiresGrad: true })]).paramGroups[0]!.weightDecay).to.equal(0.01);
  });

  it('RMSprop, plain and centered with momentum and weight decay', () => {
    // step 1: s = 0.01·0.25 = 0.0025, p = 1 - 0.01·0.5/(0.05 + 1e-8) ≈ 0.90000002
    expectClose(trajectory((ps) => new RMSprop(ps, { lr: 0.01 })), [
      [0.900000019999996, -1.900000009999999], [0.810467731808858, -1.810467717800846], [0.730117286712672, -1.730117270552595],
    ]);
    expectClose(trajectory((ps) => new RMSprop(ps, { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.1 })), [
      [0.899496235309093, -1.899496226891586], [0.720520684040976, -1.720427910621405], [0.479791470086146, -1.479456215355363],
    ], 1e-11);
  });
});

describe('Optimizer', () => {
  it('param groups override defaults; parameters without a gradient are skipped', () => {
    const a = tensor([1], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1], { dtype: 'float64', requiresGrad: true });
    const c = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b, c], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([1], { dtype: 'float64' });
    b.grad = tensor([1], { dtype: 'float64' });
    const version = c.version.value;
    opt.step();
    expect([a.data[0], b.data[0], c.data[0]]).to.deep.equal([0.9, 0.5, 1]);
    expect(c.version.value).to.equal(version);
    opt.zeroGrad();
    expect([a.grad, b.grad]).to.deep.equal([null, null]);
  });

  it('updates in place and bumps the version counter, so a stale graph fails loudly', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const data = p.data;
    const version = p.version.value;
    p.grad = tensor([1, 1]);
    new SGD([p], { lr: 1 }).step();
    expect(p.data).to.equal(data);
    expect(Array.from(p.data)).to.deep.equal([0, 1]);
    expect(p.version.value).to.equal(version + 1);
  });

  it('rejects bad hyperparameters and parameters', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).to.throw(ArgumentError, /SGD: lr must be a finite number >= 0, got -1/);
    expect(() => new SGD([p], { nesterov: true })).to.throw(ArgumentError, /nesterov needs momentum > 0/);
    expect(() => new Adam([p], { betas: [0.9, 1] })).to.throw(ArgumentError, /Adam: betas\[1\] must be a finite number >= 0 and < 1, got 1/);
    expect(() => new SGD([tensor([1])])).to.throw(ArgumentError, /must be a leaf tensor that requires grad/);
    expect(() => new SGD([p, p])).to.throw(ArgumentError, /appears more than once/);
    expect(() => new SGD([])).to.throw(ArgumentError, /empty parameter list/);
  });

  it('stateDict / loadStateDict resume exactly, and a mismatched state changes nothing', () => {
    const make = (): [Tensor, Adam] => {
      const p = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
      return [p, new Adam([p], { lr: 0.1 })];
    };
    const [p1, o1] = make();
    p1.grad = tensor([0.5, -1], { dtype: 'float64' });
    o1.step();
    const sd = o1.stateDict();
    expect(sd.paramGroups).to.deep.equal([{ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [0] }]);
    expect(sd.state.get(0)!.step).to.equal(1);
    const [p2, o2] = make();
    p2.copy_(p1);
    o2.loadStateDict(sd);
    for (const [p, o] of [[p1, o1], [p2, o2]] as const) {
      p.grad = tensor([1, -2], { dtype: 'float64' });
      o.step();
    }
    expect(Array.from(p2.data)).to.deep.equal(Array.from(p1.data));

    const [, o3] = make();
    const bad = o1.stateDict();
    bad.state.set(0, { step: 1, expAvg: tensor([1, 2, 3], { dtype: 'float64' }), expAvgSq: tensor([1, 2], { dtype: 'float32' }) });
    bad.state.set(5, { step: 1 });
    expect(() => o3.loadStateDict(bad)).to.throw(StateDictError, /expAvg has shape \[3\] but parameter 0 has \[2\][^]*expAvgSq has dtype float32[^]*state for parameter 5/);
    expect(o3.state.size).to.equal(0);
    expect(o3.paramGroups[0]!.lr).to.equal(0.1);
  });
});

describe('Optimizer checks what it is given', () => {
  const net = (): Sequential => new Sequential(new Linear(2, 3, { dtype: 'float64' }), new Linear(3, 1, { dtype: 'float64' }));
  const snapshot = (m: Sequential): number[][] => m.parameters().map((p) => Array.from(p.data));
  const fillGrads = (m: Sequential): void => {
    for (const p of m.parameters()) p.grad = tensor(new Array<number>(p.size).fill(1), { shape: p.shape, dtype: 'float64' });
  };

  it('a gradient of the wrong shape or dtype throws, naming the parameter, and nothing is updated', () => {
    for (const make of [(ps: Tensor[]) => new Adam(ps, { lr: 0.1 }), (ps: Tensor[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })]) {
      const m = net();
      const opt = make(m.parameters());
      fillGrads(m);
      const before = snapshot(m);
      const last = m.parameters()[3]!; // '1.bias': every parameter before it has a good gradient
      last.grad = tensor([1, 2], { dtype: 'float64' });
      expect(() => opt.step()).to.throw(ShapeError, /\.step: the gradient of parameter '1\.bias' has shape \[2\] but the parameter has shape \[1\]; nothing was updated/);
      last.grad = tensor([1], { dtype: 'float32' });
      expect(() => opt.step()).to.throw(DTypeError, /the gradient of parameter '1\.bias' has dtype float32 but the parameter is float64/);
      expect(snapshot(m)).to.deep.equal(before);
      expect(opt.state.size).to.equal(0);
      last.grad = tensor([1], { dtype: 'float64' });
      opt.step();
      expect(snapshot(m)[0]).to.not.deep.equal(before[0]);
    }
    // Parameters that do not come from a module are named by their place.
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([{ params: [tensor([1], { requiresGrad: true })] }, { params: [p] }]);
    p.grad = tensor([1]);
    expect(() => opt.step()).to.throw(ShapeError, /gradient of parameter group 1 parameter 0 has shape \[1\]/);
  });

  it('non-finite or out-of-range hyperparameters are refused at construction, in groups and at each step', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    expect(() => new SGD([p], { lr: Infinity })).to.throw(ArgumentError, /SGD: lr must be a finite number >= 0, got Infinity/);
    expect(() => new Adam([p], { lr: NaN })).to.throw(ArgumentError, /Adam: lr must be a finite number >= 0, got NaN/);
    expect(() => new Adam([p], { eps: 0 })).to.throw(ArgumentError, /Adam: eps must be a finite number > 0, got 0/);
    expect(() => new RMSprop([p], { alpha: 1.5 })).to.throw(ArgumentError, /RMSprop: alpha must be a finite number >= 0 and <= 1, got 1.5/);
    expect(() => new SGD([p], { momentum: 0.9, dampening: 0.1, nesterov: true })).to.throw(ArgumentError, /nesterov needs momentum > 0 and dampening 0/);
    expect(() => new SGD([{ params: [p], lr: -0.1 }])).to.throw(ArgumentError, /SGD \(param group 0\): lr must be a finite number >= 0, got -0.1/);
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    opt.paramGroups[0]!.lr = Infinity; // e.g. set by hand or by a schedule gone wrong
    expect(() => opt.step()).to.throw(ArgumentError, /SGD.step \(param group 0\): lr must be a finite number >= 0, got Infinity/);
    expect(Array.from(p.data)).to.deep.equal([1, 2]);
  });

  it('options and param groups are strict: weight_decay suggests weightDecay', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new Adam([p], { lr: 1e-3, weight_decay: 0.1 } as never)).to.throw(ArgumentError, /Adam: unknown option 'weight_decay' in options \(did you mean 'weightDecay'\?\)/);
    expect(() => new AdamW([p], { betas1: 0.9 } as never)).to.throw(ArgumentError, /AdamW: unknown option 'betas1'.*did you mean 'betas'/);
    expect(() => new SGD([{ params: [p], moment: 0.9 }] as never)).to.throw(ArgumentError, /SGD: unknown option 'moment' in param group 0 \(did you mean 'momentum'\?\)/);
    expect(() => new SGD(net() as never)).to.throw(ArgumentError, /SGD: params must be the model's parameters, not the model itself: pass model.parameters\(\)/);
  });
});
