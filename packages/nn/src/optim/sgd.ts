import { ArgumentError, type Tensor, checkNumber, checkOptions, optionKeys, sgdUpdate_ } from '@tensorgrad/core';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { checkBool } from '../check.js';

/** Hyperparameters of `SGD` (torch.optim.SGD's, camelCase; every one optional in the constructor). */
export type SGDOptions = {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor μ (default 0: plain SGD). */
  momentum: number;
  /** Dampening τ of the momentum (default 0). */
  dampening: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
};

const SGD_OPTIONS = optionKeys<SGDOptions>()(['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov']);

/**
 * PyTorch's SGD: d = g + λp; with momentum, b = d on the first step, then b = μb + (1-τ)d,
 * and d = d + μb (nesterov) or d = b; finally p = p - lr·d.
 */
export class SGD extends Optimizer<SGDOptions> {
  /** The name checkpoints record for this optimizer (survives minification). */
  static readonly typeName: string = 'SGD';
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    checkOptions('SGD', options, SGD_OPTIONS);
    const { lr = 1e-3, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options;
    super(params, { lr, momentum, dampening, weightDecay, nesterov });
  }

  protected validate(g: ParamGroup<SGDOptions>, fn: string): void {
    checkNumber(fn, 'lr', g.lr, { min: 0 });
    checkNumber(fn, 'momentum', g.momentum, { min: 0 });
    checkNumber(fn, 'dampening', g.dampening, { min: 0, max: 1 });
    checkNumber(fn, 'weightDecay', g.weightDecay, { min: 0 });
    checkBool(fn, 'nesterov', g.nesterov);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new ArgumentError(`${fn}: nesterov needs momentum > 0 and dampening 0, got momentum ${g.momentum}, dampening ${g.dampening}`);
    }
  }

  protected update(p: Tensor, grad: Tensor, { lr, momentum, dampening, weightDecay, nesterov }: ParamGroup<SGDOptions>, state: ParamState): void {
    const firstStep = state.momentumBuffer === undefined;
    const buf = momentum !== 0 ? this.buffer(state, 'momentumBuffer', p) : null;
    sgdUpdate_(p, grad, buf, { lr, momentum, dampening, weightDecay, nesterov, firstStep });
  }
}
