// Activation modules: wrappers so activations can sit in a Sequential (stateless but for PReLU's
// learnable weight).
import * as ops from '@tensorgrad/core';
import { checkFloatDType, checkTensorInput } from '../check.js';
import { Module } from '../module/module.js';
import type { ParameterOptions } from './options.js';

/** Options of `ReLU` (nn.ReLU's). */
export interface ReLUOptions {
  /**
   * Write the result over the input instead of new storage (PyTorch's inplace=True; default false):
   * saves a tensor's worth of memory and a pass over fresh memory. While recording gradients the
   * input must not be a leaf that requires grad nor share its storage with a view, and an op that
   * saved the input for its gradient before then fails in backward (core's relu_).
   */
  inplace?: boolean;
}

const RELU_OPTIONS = ops.optionKeys<ReLUOptions>()(['inplace']);

/** `relu` as a layer (nn.ReLU): max(x, 0). */
export class ReLU extends Module {
  /** Whether forward writes over its input (relu_). */
  readonly inplace: boolean;

  constructor(options: ReLUOptions = {}) {
    super();
    ops.checkOptions('ReLU', options, RELU_OPTIONS);
    ops.checkBoolean('ReLU', 'inplace', options.inplace ?? false);
    this.inplace = options.inplace ?? false;
  }

  forward(x: ops.Tensor): ops.Tensor {
    return this.inplace ? ops.relu_(x) : ops.relu(x);
  }
}

/** `relu6` as a layer (nn.ReLU6): min(max(x, 0), 6). */
export class ReLU6 extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.relu6(x);
  }
}

/** `leakyRelu` as a layer (nn.LeakyReLU): x for x > 0, else negativeSlope·x. */
export class LeakyReLU extends Module {
  constructor(
    /** Slope for x < 0 (default 0.01). */
    readonly negativeSlope = 0.01,
  ) {
    super();
    ops.checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.leakyRelu(x, this.negativeSlope);
  }
}

/** `elu` as a layer (nn.ELU): x for x > 0, else alpha·(eˣ − 1). */
export class ELU extends Module {
  constructor(
    /** Scale of the negative part, alpha·(eˣ − 1) (default 1). */
    readonly alpha = 1,
  ) {
    super();
    ops.checkNumber('ELU', 'alpha', alpha);
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.elu(x, this.alpha);
  }
}

const GELU_OPTIONS = ops.optionKeys<ops.GeluOptions>()(['approximate']);

/** `gelu` as a layer (nn.GELU): x·Φ(x), or its tanh approximation with `{ approximate: 'tanh' }`. */
export class GELU extends Module {
  /** 'none' (the exact form, default) or 'tanh'. */
  readonly approximate: 'none' | 'tanh';

  constructor(options: ops.GeluOptions = {}) {
    super();
    ops.checkOptions('GELU', options, GELU_OPTIONS);
    const { approximate = 'none' } = options;
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new ops.ArgumentError(`GELU: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
    }
    this.approximate = approximate;
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.gelu(x, { approximate: this.approximate });
  }
}

/** `hardtanh` as a layer (nn.Hardtanh): min(max(x, minVal), maxVal). */
export class Hardtanh extends Module {
  constructor(
    /** Lower bound (default −1). */ readonly minVal = -1,
    /** Upper bound (default 1), above minVal. */ readonly maxVal = 1,
  ) {
    super();
    ops.checkNumber('Hardtanh', 'minVal', minVal);
    ops.checkNumber('Hardtanh', 'maxVal', maxVal);
    if (!(maxVal > minVal)) throw new ops.ArgumentError(`Hardtanh: maxVal must be greater than minVal, got minVal ${minVal}, maxVal ${maxVal}`);
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.hardtanh(x, this.minVal, this.maxVal);
  }
}

/** `hardsigmoid` as a layer (nn.Hardsigmoid): min(max(x + 3, 0), 6) / 6. */
export class Hardsigmoid extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.hardsigmoid(x);
  }
}

/** `hardswish` as a layer (nn.Hardswish): x·min(max(x + 3, 0), 6) / 6. */
export class Hardswish extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.hardswish(x);
  }
}

/** `selu` as a layer (nn.SELU): scale·x for x > 0, scale·α·(eˣ − 1) otherwise. */
export class SELU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.selu(x);
  }
}

/** `celu` as a layer (nn.CELU): x for x > 0, alpha·(e^(x/alpha) − 1) otherwise. */
export class CELU extends Module {
  constructor(
    /** Scale of the negative part, alpha·(e^(x/alpha) − 1) (default 1, non-zero). */
    readonly alpha = 1,
  ) {
    super();
    ops.checkNumber('CELU', 'alpha', alpha);
    if (alpha === 0) throw new ops.ArgumentError('CELU: alpha must be non-zero (celu divides by it), got 0');
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.celu(x, this.alpha);
  }
}

/** `mish` as a layer (nn.Mish): x·tanh(softplus(x)). */
export class Mish extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.mish(x);
  }
}

/** `softsign` as a layer (nn.Softsign): x / (|x| + 1). */
export class Softsign extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.softsign(x);
  }
}

/** Options of PReLU: the weight's dtype (nn.PReLU's dtype). */
export type PReLUOptions = Pick<ParameterOptions, 'dtype'>;

const PRELU_OPTIONS = ops.optionKeys<PReLUOptions>()(['dtype']);

/**
 * `prelu` as a layer (nn.PReLU): x for x > 0, weight·x otherwise, with a learnable `weight` of
 * numParameters values: 1 (shared) or the number of channels (dim 1 of the input).
 */
export class PReLU extends Module {
  /** The negative slopes [numParameters], initialised to `init`. */
  readonly weight: ops.Tensor;

  constructor(
    /** 1, or the number of channels of the input (default 1): the length of `weight`. */ numParameters = 1,
    /** Initial value of every slope (default 0.25). */ init = 0.25,
    options: PReLUOptions = {},
  ) {
    super();
    ops.checkOptions('PReLU', options, PRELU_OPTIONS);
    const { dtype = 'float32' } = options;
    ops.checkNumber('PReLU', 'numParameters', numParameters, { integer: true, min: 1 });
    ops.checkNumber('PReLU', 'init', init);
    checkFloatDType('PReLU', dtype);
    this.weight = this.parameter(ops.full([numParameters], init, { dtype }));
  }

  forward(x: ops.Tensor): ops.Tensor {
    checkTensorInput('PReLU', x);
    return ops.prelu(x, this.weight);
  }
}

/** `silu` as a layer (nn.SiLU): x·sigmoid(x). */
export class SiLU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.silu(x);
  }
}

/** `sigmoid` as a layer (nn.Sigmoid). */
export class Sigmoid extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.sigmoid(x);
  }
}

/** `tanh` as a layer (nn.Tanh). */
export class Tanh extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.tanh(x);
  }
}

/** `softplus` as a layer (nn.Softplus, beta 1, threshold 20). */
export class Softplus extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.softplus(x);
  }
}

/** `softmax` over `dim` as a layer (nn.Softmax). */
export class Softmax extends Module {
  constructor(
    /** The dim that sums to 1 (default −1, the last). */
    readonly dim = -1,
  ) {
    super();
    ops.checkNumber('Softmax', 'dim', dim, { integer: true });
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.softmax(x, this.dim);
  }
}

/** `logSoftmax` over `dim` as a layer (nn.LogSoftmax). */
export class LogSoftmax extends Module {
  constructor(
    /** The dim normalised over (default −1, the last). */
    readonly dim = -1,
  ) {
    super();
    ops.checkNumber('LogSoftmax', 'dim', dim, { integer: true });
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.logSoftmax(x, this.dim);
  }
}
