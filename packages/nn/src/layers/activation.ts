// Activation modules: stateless wrappers so activations can sit in a Sequential.
import * as ops from '@tensorgrad/core';
import { Module } from '../module/module.js';

/** `relu` as a layer (nn.ReLU): max(x, 0). */
export class ReLU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.relu(x);
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

/** `gelu` as a layer (nn.GELU): x·Φ(x). */
export class GELU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.gelu(x);
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
