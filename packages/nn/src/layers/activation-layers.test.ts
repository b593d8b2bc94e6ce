// The activation layers added for PyTorch parity: each applies core's function with its arguments
// (core's fixtures check the values against PyTorch); PReLU's weight is a parameter named and
// initialised as nn.PReLU's, and learns.
import { expect } from 'chai';
import * as core from '@tensorgrad/core';
import { ArgumentError, type Tensor, tensor } from '@tensorgrad/core';
import { CELU, GELU, Hardsigmoid, Hardswish, Hardtanh, Mish, PReLU, ReLU, SELU, Softsign } from '../index.js';

const x = tensor([-4, -3, -1.5, -0.25, 0, 0.5, 2.5, 3, 7], { dtype: 'float64' });
const values = (t: Tensor): number[] => Array.from(t.data);

describe('activation layers (Hardtanh, Hardsigmoid, Hardswish, SELU, CELU, Mish, Softsign, GELU, PReLU)', () => {
  it("apply core's function with the layer's arguments", () => {
    const pairs: [string, Tensor, Tensor][] = [
      ['Hardtanh', new Hardtanh().invoke(x), core.hardtanh(x)],
      ['Hardtanh(-2, 2.5)', new Hardtanh(-2, 2.5).invoke(x), core.hardtanh(x, -2, 2.5)],
      ['Hardsigmoid', new Hardsigmoid().invoke(x), core.hardsigmoid(x)],
      ['Hardswish', new Hardswish().invoke(x), core.hardswish(x)],
      ['SELU', new SELU().invoke(x), core.selu(x)],
      ['CELU(0.5)', new CELU(0.5).invoke(x), core.celu(x, 0.5)],
      ['Mish', new Mish().invoke(x), core.mish(x)],
      ['Softsign', new Softsign().invoke(x), core.softsign(x)],
      ['GELU', new GELU().invoke(x), core.gelu(x)],
      ["GELU({ approximate: 'tanh' })", new GELU({ approximate: 'tanh' }).invoke(x), core.gelu(x, { approximate: 'tanh' })],
    ];
    for (const [name, got, want] of pairs) expect(values(got), name).to.deep.equal(values(want));
    // Spot values: the layers' defaults are PyTorch's (hardtanh ±1, CELU α = 1, exact GELU).
    expect(values(new Hardtanh().invoke(x)).slice(0, 3)).to.deep.equal([-1, -1, -1]);
    expect(new CELU().invoke(tensor([-1], { dtype: 'float64' })).item()).to.be.closeTo(Math.exp(-1) - 1, 1e-15);
    expect(new GELU().invoke(tensor([1], { dtype: 'float64' })).item()).to.not.equal(new GELU({ approximate: 'tanh' }).invoke(tensor([1], { dtype: 'float64' })).item());
  });

  it('PReLU: weight [numParameters] initialised to 0.25 (or init), named weight, one per channel, learns', () => {
    const shared = new PReLU();
    expect([...shared.namedParameters()].map(([n, p]) => [n, p.shape, values(p)])).to.deep.equal([['weight', [1], [0.25]]]);
    expect(shared.weight.dtype).to.equal('float32');
    expect([...shared.stateDict().keys()]).to.deep.equal(['weight']);
    const perChannel = new PReLU(3, 0.1, { dtype: 'float64' });
    expect(perChannel.numParameters()).to.equal(3);
    expect(values(perChannel.weight)).to.deep.equal([0.1, 0.1, 0.1]);
    const input = tensor([[[-1, 2], [-2, 4], [-3, -1]]], { dtype: 'float64' }); // [1, 3, 2]
    const y = perChannel.invoke(input);
    expect(values(y)).to.deep.equal(values(core.prelu(input, perChannel.weight)));
    core.sum(y).backward();
    // dL/dw_c = Σ x over the channel's non-positive entries.
    expect(values(perChannel.weight.grad!)).to.deep.equal([-1, -2, -4]);
  });

  it('PReLU with one weight per channel refuses an input with another channel count (F.prelu)', () => {
    expect(() => new PReLU(3).invoke(tensor([[1, 2]]))).to.throw(/^prelu: weight has 3 values but x \[1,2\] has 2 channels \(dim 1\); expected 1 or 2 values$/);
  });

  it('bad arguments throw, naming the layer and the argument', () => {
    expect(() => new Hardtanh(1, 1)).to.throw(ArgumentError, /^Hardtanh: maxVal must be greater than minVal, got minVal 1, maxVal 1$/);
    expect(() => new Hardtanh(NaN)).to.throw(ArgumentError, /^Hardtanh: minVal must be a finite number/);
    expect(() => new CELU(0)).to.throw(ArgumentError, /^CELU: alpha must be non-zero/);
    expect(() => new GELU({ approximate: 'exact' as 'none' })).to.throw(ArgumentError, /^GELU: approximate must be 'none' or 'tanh', got "exact"$/);
    expect(() => new GELU({ aproximate: 'tanh' } as object)).to.throw(ArgumentError, /^GELU: unknown option 'aproximate' in options \(did you mean 'approximate'\?\)/);
    expect(() => new PReLU(0)).to.throw(ArgumentError, /^PReLU: numParameters must be/);
    expect(() => new PReLU(1.5)).to.throw(ArgumentError, /^PReLU: numParameters must be/);
    expect(() => new PReLU(1, Infinity)).to.throw(ArgumentError, /^PReLU: init must be a finite number/);
    expect(() => new PReLU(1, 0.25, { dtype: 'int32' as 'float32' })).to.throw(ArgumentError, /^PReLU: dtype must be 'float32' or 'float64', got 'int32'$/);
    expect(() => new PReLU(1, 0.25, { generator: undefined } as object)).to.throw(ArgumentError, /^PReLU: unknown option 'generator'/);
    expect(() => new PReLU().invoke([1, 2] as unknown as Tensor)).to.throw(ArgumentError, /^PReLU: input x must be a Tensor/);
  });
});

describe('ReLU', () => {
  it('out of place by default; { inplace: true } writes over its input and gives the same gradients', () => {
    const input = (): Tensor => tensor([-2, -0.5, 0.5, 3], { dtype: 'float64' });
    const plain = input();
    const y = new ReLU().invoke(plain);
    expect(y).to.not.equal(plain);
    expect(values(plain)).to.deep.equal([-2, -0.5, 0.5, 3]);
    const layer = new ReLU({ inplace: true });
    expect(layer.inplace).to.equal(true);
    const own = input();
    expect(layer.invoke(own)).to.equal(own);
    expect(values(own)).to.deep.equal(values(y));
    const grads = (inplace: boolean): number[] => {
      const w = tensor([1, -2, 3, -4], { dtype: 'float64', requiresGrad: true });
      core.sum(core.mul(new ReLU({ inplace }).invoke(core.mul(w, input())), input())).backward();
      return values(w.grad!);
    };
    expect(grads(true)).to.deep.equal(grads(false));
  });

  it('refuses unknown options and a non-boolean inplace', () => {
    expect(() => new ReLU({ inPlace: true } as never)).to.throw(ArgumentError, /ReLU: unknown option 'inPlace'.*did you mean 'inplace'/);
    expect(() => new ReLU({ inplace: 1 } as never)).to.throw(ArgumentError, /ReLU: inplace must be true or false, got 1/);
  });
});
