// Cases the step-by-step tests (optimizers.test.ts) leave open: amsgrad where it changes the
// result, centered RMSprop and its state, the state each optimizer keeps, and the exact message of
// every check on options, parameters, gradients and loaded state dicts.
import { ArgumentError, ShapeError, type Tensor, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { StateDictError } from '../errors.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** fn must throw an instance of type whose message is exactly `message` (a regexp: matches it). */
export function throwsExactly(fn: () => unknown, type: new (...a: any[]) => Error, message: string | RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${type.name}: ${String(message)}`).to.be.instanceOf(type);
  if (typeof message === 'string') expect((error as Error).message).to.equal(message);
  else expect((error as Error).message).to.match(message);
}

// p starts at [1, -2]; the gradients shrink after the first step, so v falls and amsgrad's
// running maximum of v differs from v. Numbers: scripts/optimizer-reference.py (PyTorch 1.13).
const GRADS = [[2, -4], [0.1, -0.2], [0.1, 0.3]];
function run(make: (ps: Tensor[]) => Optimizer<any>): { rows: number[][]; opt: Optimizer<any> } {
  const p = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
  const opt = make([p]);
  const rows = GRADS.map((g) => {
    p.grad = tensor(g, { dtype: 'float64' });
    opt.step();
    return Array.from(p.data);
  });
  return { rows, opt };
}
const close = (actual: number[][], expected: number[][]): void =>
  actual.forEach((row, t) => row.forEach((v, i) => expect(v, `step ${t + 1} [${i}]`).to.be.closeTo(expected[t]![i]!, 1e-13)));
const stateOf = (opt: Optimizer<any>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(opt.stateDict().state.get(0)!).map(([k, v]) => [k, typeof v === 'number' ? v : Array.from(v.data)]));

describe('optimizers: amsgrad, centered RMSprop and the state they keep (PyTorch 1.13)', () => {
  it('Adam with amsgrad steps by the running maximum of v, and keeps it as maxExpAvgSq', () => {
    close(run((ps) => new Adam(ps, { lr: 0.1, betas: [0.9, 0.9] })).rows, [
      [0.9000000005, -1.90000000025], [0.8274523760153145, -1.8274523755021566], [0.7665475446231744, -1.7750601931947896],
    ]);
    const { rows, opt } = run((ps) => new Adam(ps, { lr: 0.1, betas: [0.9, 0.9], amsgrad: true }));
    close(rows, [[0.9000000005, -1.90000000025], [0.8310797572145489, -1.831079756727049], [0.7761049227666627, -1.7836981312620475]]);
    const s = stateOf(opt);
    expect(Object.keys(s)).to.deep.equal(['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq']);
    close([s.maxExpAvgSq as number[], s.expAvgSq as number[]], [[0.4, 1.6], [0.3259, 1.3086]]);
  });

  it('centered RMSprop without momentum, and its state: step, squareAvg, gradAvg', () => {
    const { rows, opt } = run((ps) => new RMSprop(ps, { lr: 0.01, alpha: 0.9, centered: true }));
    close(rows, [[0.9666666672222222, -1.9666666669444444], [0.9649122812880886, -1.9649122809949213], [0.9630652970426042, -1.9676381393213556]]);
    const s = stateOf(opt);
    expect(Object.keys(s)).to.deep.equal(['step', 'squareAvg', 'gradAvg']);
    expect(s.step).to.equal(3);
    close([s.squareAvg as number[], s.gradAvg as number[]], [[0.3259, 1.3086], [0.181, -0.312]]);
    expect(Object.keys(stateOf(run((ps) => new RMSprop(ps, { momentum: 0.5 })).opt))).to.deep.equal(['step', 'squareAvg', 'momentumBuffer']);
  });

  it('SGD keeps a momentum buffer only with momentum', () => {
    expect(stateOf(run((ps) => new SGD(ps, { lr: 0.1 })).opt)).to.deep.equal({});
    // b = g₁, then b = 0.5·b + g: [2, -4] → [1.1, -2.2] → [0.65, -0.8]
    const s = stateOf(run((ps) => new SGD(ps, { lr: 0.1, momentum: 0.5 })).opt);
    expect(Object.keys(s)).to.deep.equal(['momentumBuffer']);
    close([s.momentumBuffer as number[]], [[0.65, -0.8]]);
  });
});

describe('optimizer checks name the optimizer, the option and the value', () => {
  const p = (): Tensor => tensor([1, 2], { requiresGrad: true });

  it('Adam', () => {
    throwsExactly(() => new Adam([p()], { betas: [0.9] as never }), ArgumentError, 'Adam: betas must be a pair [beta1, beta2], got [0.9]');
    throwsExactly(() => new Adam([p()], { betas: 0.9 as never }), ArgumentError, 'Adam: betas must be a pair [beta1, beta2], got 0.9');
    throwsExactly(() => new Adam([p()], { betas: [1, 0.999] }), ArgumentError, 'Adam: betas[0] must be a finite number >= 0 and < 1, got 1');
    throwsExactly(() => new Adam([p()], { weightDecay: -1 }), ArgumentError, 'Adam: weightDecay must be a finite number >= 0, got -1');
    throwsExactly(() => new Adam([p()], { amsgrad: 'yes' as never }), ArgumentError, "Adam: amsgrad must be a boolean, got 'yes'");
  });

  it('RMSprop', () => {
    throwsExactly(() => new RMSprop([p()], { moment: 0.9 } as never), ArgumentError,
      "RMSprop: unknown option 'moment' in options (did you mean 'momentum'?); accepted: lr, alpha, eps, weightDecay, momentum, centered");
    throwsExactly(() => new RMSprop([p()], { lr: -1 }), ArgumentError, 'RMSprop: lr must be a finite number >= 0, got -1');
    throwsExactly(() => new RMSprop([p()], { eps: 0 }), ArgumentError, 'RMSprop: eps must be a finite number > 0, got 0');
    throwsExactly(() => new RMSprop([p()], { momentum: -0.5 }), ArgumentError, 'RMSprop: momentum must be a finite number >= 0, got -0.5');
    throwsExactly(() => new RMSprop([p()], { weightDecay: -1 }), ArgumentError, 'RMSprop: weightDecay must be a finite number >= 0, got -1');
    throwsExactly(() => new RMSprop([p()], { centered: 1 as never }), ArgumentError, 'RMSprop: centered must be a boolean, got 1');
  });

  it('SGD', () => {
    throwsExactly(() => new SGD([p()], { moment: 0.9 } as never), ArgumentError,
      "SGD: unknown option 'moment' in options (did you mean 'momentum'?); accepted: lr, momentum, dampening, weightDecay, nesterov");
    throwsExactly(() => new SGD([p()], { momentum: -0.9 }), ArgumentError, 'SGD: momentum must be a finite number >= 0, got -0.9');
    throwsExactly(() => new SGD([p()], { dampening: 1.5 }), ArgumentError, 'SGD: dampening must be a finite number >= 0 and <= 1, got 1.5');
    throwsExactly(() => new SGD([p()], { dampening: -0.1 }), ArgumentError, 'SGD: dampening must be a finite number >= 0 and <= 1, got -0.1');
    throwsExactly(() => new SGD([p()], { weightDecay: -1 }), ArgumentError, 'SGD: weightDecay must be a finite number >= 0, got -1');
    throwsExactly(() => new SGD([p()], { nesterov: 'yes' as never }), ArgumentError, "SGD: nesterov must be a boolean, got 'yes'");
  });

  it('params and param groups', () => {
    const bad = 'SGD: params must be an iterable of Tensors or an array of parameter groups, got';
    throwsExactly(() => new SGD(null as never), ArgumentError, `${bad} null`);
    throwsExactly(() => new SGD(5 as never), ArgumentError, `${bad} 5`);
    throwsExactly(() => new SGD('ab' as never), ArgumentError, `${bad} 'ab'`);
    throwsExactly(() => new SGD({} as never), ArgumentError, `${bad} a Object`);
    const group = "SGD: param group 0 must have 'params', an iterable of Tensors, got";
    throwsExactly(() => new SGD([{ lr: 0.1 }] as never), ArgumentError, `${group} undefined`);
    throwsExactly(() => new SGD([{ params: null }] as never), ArgumentError, `${group} null`);
    throwsExactly(() => new SGD([{ params: 5 }] as never), ArgumentError, `${group} 5`);
    throwsExactly(() => new SGD([{ params: {} }] as never), ArgumentError, `${group} a Object`);
    throwsExactly(() => new SGD([p(), 5] as never), ArgumentError, 'SGD: parameter 1 must be a Tensor, got 5');
    throwsExactly(() => new SGD([{ params: [p(), 5] }] as never), ArgumentError, 'SGD: group 0 parameter 1 must be a Tensor, got 5');
    throwsExactly(() => new SGD([tensor([1])]), ArgumentError, /^SGD: parameter 0 must be a leaf tensor that requires grad/);
  });

  it('gradients: not a Tensor, fewer dimensions, one dimension off', () => {
    const w = tensor([1, 2, 3, 4], { shape: [2, 2], requiresGrad: true });
    const opt = new SGD([w]);
    w.grad = 5 as never;
    throwsExactly(() => opt.step(), ArgumentError, 'SGD.step: the gradient of parameter 0 must be a Tensor, got 5; nothing was updated');
    w.grad = tensor([1, 1, 1, 1, 1, 1], { shape: [2, 3] });
    throwsExactly(() => opt.step(), ShapeError, 'SGD.step: the gradient of parameter 0 has shape [2,3] but the parameter has shape [2,2]; nothing was updated');
    const v = tensor([1, 2], { shape: [2, 1], requiresGrad: true });
    v.grad = tensor([1, 1]);
    throwsExactly(() => new SGD([v]).step(), ShapeError, 'SGD.step: the gradient of parameter 0 has shape [2] but the parameter has shape [2,1]; nothing was updated');
    expect(Array.from(w.data)).to.deep.equal([1, 2, 3, 4]);
  });
});

describe('Optimizer.loadStateDict lists every mismatch and changes nothing', () => {
  const make = (): Adam => {
    const w = tensor([1, 2, 3, 4], { shape: [2, 2], dtype: 'float64', requiresGrad: true });
    const b = tensor([1, 2], { shape: [2, 1], dtype: 'float64', requiresGrad: true });
    const opt = new Adam([w, b], { lr: 0.1 });
    for (const p of [w, b]) p.grad = tensor(new Array<number>(p.size).fill(1), { shape: p.shape, dtype: 'float64' });
    opt.step();
    return opt;
  };

  it('group count, parameter count, missing and unknown hyperparameters, bad values, state shapes', () => {
    const opt = make();
    const twoGroups = opt.stateDict();
    twoGroups.paramGroups.push({ ...twoGroups.paramGroups[0]!, params: [2] });
    throwsExactly(() => opt.loadStateDict(twoGroups), StateDictError, 'Adam.loadStateDict: 1 problem(s):\n  has 2 parameter group(s) but the optimizer has 1');

    const sd = opt.stateDict();
    const { eps: _, ...rest } = sd.paramGroups[0]!;
    sd.paramGroups[0] = { ...rest, lr: -1, momentum: 0.9, params: [0, 1, 2] };
    sd.state.get(0)!.expAvg = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3], dtype: 'float64' });
    sd.state.get(0)!.expAvgSq = 'x' as never;
    sd.state.get(1)!.expAvg = tensor([1, 2], { dtype: 'float64' });
    throwsExactly(() => opt.loadStateDict(sd), StateDictError, [
      'Adam.loadStateDict: 7 problem(s):',
      "group 0 has 3 parameter(s) but the optimizer's has 2",
      "group 0 lacks hyperparameter 'eps'",
      "group 0 has unknown hyperparameter 'momentum'",
      'Adam.loadStateDict (group 0): lr must be a finite number >= 0, got -1',
      'state 0.expAvg has shape [2,3] but parameter 0 has [2,2]',
      'state 0.expAvgSq must be a Tensor or a number',
      'state 1.expAvg has shape [2] but parameter 1 has [2,1]',
    ].join('\n  '));
    expect(opt.paramGroups[0]!.lr).to.equal(0.1);
    expect((opt.state.get(opt.paramGroups[0]!.params[0]!)!.expAvgSq as Tensor).shape).to.deep.equal([2, 2]);
  });
});
