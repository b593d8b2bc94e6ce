import { ArgumentError, Tensor, tensor, zeros } from '@tensorgrad/core';
import { expect } from 'chai';
import { StateDictError } from '../errors.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Linear } from '../layers/linear.js';
import { ReLU } from '../layers/activation.js';
import { ModuleDict, ModuleList, Sequential } from './containers.js';
import { Module } from './module.js';

class Block extends Module {
  readonly fc = new Linear(3, 2);
  readonly bn = new BatchNorm2d(2);
  forward(x: Tensor): Tensor {
    return this.fc.invoke(x);
  }
}

class Net extends Module {
  readonly scale = this.parameter(tensor([2]));
  readonly layer1 = new Sequential(new Block(), new ReLU(), new Block());
  readonly head = new Linear(2, 1, { bias: false });
  forward(x: Tensor): Tensor {
    return this.head.invoke(this.layer1.invoke(x));
  }
}

const names = (it: Iterable<[string, unknown]>): string[] => [...it].map(([n]) => n);

describe('Module', () => {
  it('names parameters, buffers and children with PyTorch dotted names in declaration order', () => {
    const net = new Net();
    expect(names(net.namedParameters())).to.deep.equal([
      'scale',
      'layer1.0.fc.weight', 'layer1.0.fc.bias', 'layer1.0.bn.weight', 'layer1.0.bn.bias',
      'layer1.2.fc.weight', 'layer1.2.fc.bias', 'layer1.2.bn.weight', 'layer1.2.bn.bias',
      'head.weight',
    ]);
    expect(names(net.namedBuffers())).to.deep.equal([
      'layer1.0.bn.running_mean', 'layer1.0.bn.running_var', 'layer1.0.bn.num_batches_tracked',
      'layer1.2.bn.running_mean', 'layer1.2.bn.running_var', 'layer1.2.bn.num_batches_tracked',
    ]);
    expect(names(net.namedChildren())).to.deep.equal(['layer1', 'head']);
    expect(names(net.namedModules())).to.deep.equal(['', 'layer1', 'layer1.0', 'layer1.0.fc', 'layer1.0.bn', 'layer1.1', 'layer1.2', 'layer1.2.fc', 'layer1.2.bn', 'head']);
    expect([...net.stateDict().keys()].slice(0, 7)).to.deep.equal([
      'scale', 'layer1.0.fc.weight', 'layer1.0.fc.bias', 'layer1.0.bn.weight', 'layer1.0.bn.bias', 'layer1.0.bn.running_mean', 'layer1.0.bn.running_var',
    ]);
    expect(net.numParameters()).to.equal(1 + 2 * (6 + 2 + 2 + 2) + 2);
    expect(net.parameters().every((p) => p.requiresGrad)).to.equal(true);
    expect(net.buffers().some((b) => b.requiresGrad)).to.equal(false);
  });

  it('refuses a Tensor property that was not registered, and arrays of modules', () => {
    class Forgot extends Module {
      readonly w = zeros([2]);
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Forgot().parameters()).to.throw(ArgumentError, /Forgot: property 'w' holds a Tensor .* neither a parameter nor a buffer/);
    class ArrayOfModules extends Module {
      readonly layers = [new Linear(1, 1)];
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new ArrayOfModules().stateDict()).to.throw(ArgumentError, /property 'layers' .* use ModuleList/);
  });

  it('counts a shared parameter once but keeps both state-dict names', () => {
    class Tied extends Module {
      readonly a = new Linear(2, 2, { bias: false });
      readonly b = new Linear(2, 2, { bias: false });
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Tied();
    (m.b as { weight: Tensor }).weight = m.a.weight;
    expect(m.parameters()).to.have.length(1);
    expect([...m.stateDict().keys()]).to.deep.equal(['a.weight', 'b.weight']);
  });

  it('train/eval set the flag on every module; zeroGrad drops gradients; apply visits children first', () => {
    const net = new Net();
    net.eval();
    expect([...net.modules()].every((m) => !m.training)).to.equal(true);
    net.train();
    expect([...net.modules()].every((m) => m.training)).to.equal(true);
    for (const p of net.parameters()) p.grad = zeros(p.shape);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).to.equal(true);
    const order: string[] = [];
    new Sequential(new ReLU(), new Linear(1, 1)).apply((m) => order.push(m.constructor.name));
    expect(order).to.deep.equal(['ReLU', 'Linear', 'Sequential']);
  });

  it('stateDict → loadStateDict round trip is bit-exact', () => {
    const a = new Net();
    const b = new Net();
    expect(Array.from(b.head.weight.data)).to.not.deep.equal(Array.from(a.head.weight.data));
    const version = b.head.weight.version.value;
    b.loadStateDict(a.stateDict());
    for (const [k, t] of a.stateDict()) expect(Array.from(b.stateDict().get(k)!.data), k).to.deep.equal(Array.from(t.data));
    expect(b.head.weight.version.value).to.be.greaterThan(version);
    expect(b.head.weight.data).to.not.equal(a.head.weight.data);
  });

  it('reports missing, unexpected, mis-shaped and mis-typed entries together and changes nothing', () => {
    const a = new Net();
    const before = new Map([...a.stateDict()].map(([k, t]) => [k, Array.from(t.data)]));
    const sd = new Net().stateDict();
    sd.delete('head.weight');
    sd.set('extra.weight', zeros([1]));
    sd.set('layer1.0.fc.weight', zeros([3, 2]));
    sd.set('layer1.0.fc.bias', zeros([2], { dtype: 'float64' }));
    sd.set('scale', 3 as unknown as Tensor);
    let error: unknown;
    try {
      a.loadStateDict(sd);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StateDictError);
    const message = (error as Error).message;
    expect(message).to.match(/Net\.loadStateDict: 5 problem/);
    expect(message).to.contain("missing key 'head.weight'");
    expect(message).to.contain("unexpected key 'extra.weight'");
    expect(message).to.contain("'layer1.0.fc.weight' has shape [3,2] but the module expects [2,3]");
    expect(message).to.contain("'layer1.0.fc.bias' has dtype float64 but the module expects float32");
    expect(message).to.contain("'scale' must be a Tensor, got 3");
    for (const [k, t] of a.stateDict()) expect(Array.from(t.data), k).to.deep.equal(before.get(k));
  });

  it('non-strict loading skips missing and unexpected keys and reports them', () => {
    const a = new Net();
    const src = new Net();
    const sd = src.stateDict();
    sd.delete('scale');
    sd.set('other', zeros([1]));
    const result = a.loadStateDict(sd, { strict: false });
    expect(result).to.deep.equal({ missingKeys: ['scale'], unexpectedKeys: ['other'] });
    expect(Array.from(a.head.weight.data)).to.deep.equal(Array.from(src.head.weight.data));
    expect(() => a.loadStateDict(new Map([['head.weight', zeros([9])]]), { strict: false })).to.throw(StateDictError, /shape \[9\]/);
  });
});

describe('containers', () => {
  it('Sequential chains forward and numbers its children', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    expect(seq.length).to.equal(3);
    expect(seq.at(-1)).to.be.instanceOf(Linear);
    expect(names(seq.namedParameters())).to.deep.equal(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(() => seq.at(3)).to.throw(ArgumentError, /index 3 is out of range for 3/);
    expect(() => new Sequential(3 as unknown as Module)).to.throw(ArgumentError, /entry 0 must be a Module, got number/);
  });

  it('ModuleList and ModuleDict register their entries', () => {
    const list = new ModuleList([new Linear(1, 1)]).push(new Linear(1, 2));
    expect(names(list.namedParameters())).to.deep.equal(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect([...list].length).to.equal(2);
    expect(() => list.forward()).to.throw(ArgumentError, /ModuleList has no forward/);
    const dict = new ModuleDict({ encoder: new Linear(1, 1), '10': new Linear(1, 1), decoder: new Linear(1, 1, { bias: false }) });
    expect(names(dict.namedParameters())).to.deep.equal(['10.weight', '10.bias', 'encoder.weight', 'encoder.bias', 'decoder.weight']);
    const ordered = new ModuleDict([['b', new Linear(1, 1, { bias: false })], ['a', new Linear(1, 1, { bias: false })]]);
    expect(names(ordered.namedParameters())).to.deep.equal(['b.weight', 'a.weight']);
    expect(() => dict.set('x.y', new Linear(1, 1))).to.throw(ArgumentError, /no '\.'/);
    expect(() => dict.get('nope')).to.throw(ArgumentError, /no module under key 'nope'/);
  });
});
