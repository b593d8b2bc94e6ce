// Activation modules: stateless wrappers so activations can sit in a Sequential.
import * as ops from '@tensorgrad/core';
import { Module } from '../module/module.js';

export class ReLU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.relu(x);
  }
}

export class ReLU6 extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.relu6(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    ops.checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.leakyRelu(x, this.negativeSlope);
  }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    ops.checkNumber('ELU', 'alpha', alpha);
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.elu(x, this.alpha);
  }
}

export class GELU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.gelu(x);
  }
}

export class SiLU extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.silu(x);
  }
}

export class Sigmoid extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.tanh(x);
  }
}

export class Softplus extends Module {
  forward(x: ops.Tensor): ops.Tensor {
    return ops.softplus(x);
  }
}

export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
    ops.checkNumber('Softmax', 'dim', dim, { integer: true });
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.softmax(x, this.dim);
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
    ops.checkNumber('LogSoftmax', 'dim', dim, { integer: true });
  }

  forward(x: ops.Tensor): ops.Tensor {
    return ops.logSoftmax(x, this.dim);
  }
}
