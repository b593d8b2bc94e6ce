// Backward like PyTorch: each node's saved values are released once its VJP has run, a second
// backward through a released node throws, and retainGraph (or createGraph) keeps them.
import { expect } from 'chai';
import { ArgumentError, AutogradError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from '../ops/elementwise/arithmetic.js';
import { exp } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { grad, valueAndGrad, vjp } from './grad.js';

const f64 = (data: number[], requiresGrad = true): Tensor => tensor(data, { dtype: 'float64', requiresGrad });
const values = (t: Tensor): number[] => Array.from(t.data);
/** d/dx Σ x·eˣ = eˣ·(x + 1) */
const expected = (xs: number[], times = 1): number[] => xs.map((v) => times * Math.exp(v) * (v + 1));

describe('backward releases saved values (retainGraph)', () => {
  it('releases every node it ran: inputs, output and saved values are dropped, edges stay', () => {
    const x = f64([0.5, -1]);
    const a = exp(x);
    const loss = sum(mul(a, x));
    const nodes = [a.node!, loss.node!];
    expect(nodes.map((n) => n.released)).to.deep.equal([false, false]);
    expect(a.node!.output).to.equal(a);
    loss.backward();
    for (const n of nodes) {
      expect(n.released).to.equal(true);
      expect(n.inputs).to.equal(null);
      expect(n.output).to.equal(null);
      expect(n.saved).to.equal(undefined);
    }
    expect(a.node!.edge(0)).to.equal(x);
    expect(values(x.grad!)).to.deep.equal(expected([0.5, -1]));
  });

  it('throws on a second backward through the same graph, telling the user about retainGraph', () => {
    const x = f64([0.5, -1]);
    const loss = sum(mul(exp(x), x));
    loss.backward();
    expect(() => loss.backward()).to.throw(AutogradError, /backward through the graph a second time: op 'sum'.*\{ retainGraph: true \}/);
    // The failed call changed nothing.
    expect(values(x.grad!)).to.deep.equal(expected([0.5, -1]));
  });

  it('throws when a new graph reuses a released part of an old one (as PyTorch does)', () => {
    const x = f64([0.3]);
    const a = exp(x);
    sum(a).backward();
    expect(() => sum(mul(a, a)).backward()).to.throw(AutogradError, /op 'exp' already ran its VJP/);
  });

  it('retainGraph keeps the saved values, so a second backward accumulates twice', () => {
    const x = f64([0.5, -1]);
    const a = exp(x);
    const loss = sum(mul(a, x));
    loss.backward(undefined, { retainGraph: true });
    expect(a.node!.released).to.equal(false);
    expect(a.node!.inputs).to.deep.equal([x]);
    loss.backward();
    values(x.grad!).forEach((g, i) => expect(g).to.be.closeTo(expected([0.5, -1], 2)[i]!, 1e-12));
    expect(a.node!.released).to.equal(true);
  });

  it('createGraph retains by default (the graph of the gradient refers to the forward)', () => {
    const x = f64([0.5]);
    const loss = sum(mul(exp(x), x));
    loss.backward(undefined, { createGraph: true });
    expect(loss.node!.released).to.equal(false);
    const g1 = x.grad!;
    x.grad = null;
    sum(g1).backward(); // d/dx eˣ(x + 1) = eˣ(x + 2), through the retained forward graph
    expect(x.grad!.item()).to.be.closeTo(Math.exp(0.5) * 2.5, 1e-12);
  });

  it('a vjp pullback may be called once, or again after { retainGraph: true }', () => {
    const x = f64([0.5, -1], false);
    const [, pullback] = vjp((t: Tensor) => mul(exp(t), t), x);
    const dy = f64([1, 1], false);
    const first = pullback(dy, { retainGraph: true });
    const second = pullback(dy);
    expect(values(second[0]!)).to.deep.equal(values(first[0]!));
    expect(() => pullback(dy)).to.throw(AutogradError, /second time.*retainGraph: true/);
  });

  it('grad does not walk or release an outer graph its function closes over', () => {
    const w = f64([0.2, 0.4]);
    const h = exp(w); // an outer graph: h depends on w
    const g = grad((t: Tensor) => sum(mul(t, h)))(f64([3, 5], false));
    expect(values(g)).to.deep.equal(values(h));
    expect(h.node!.released).to.equal(false);
    expect(w.grad).to.equal(null);
    sum(h).backward();
    expect(values(w.grad!)).to.deep.equal([Math.exp(0.2), Math.exp(0.4)]);
  });

  it('grad(f, { retainGraph: true }) keeps the graph of tensors f kept', () => {
    let kept: Tensor | null = null;
    const f = (t: Tensor): Tensor => {
      kept = mul(exp(t), t);
      return sum(kept);
    };
    grad(f)(f64([0.5], false));
    expect(() => sum(kept!).backward()).to.throw(AutogradError, /retainGraph/);
    grad(f, { retainGraph: true })(f64([0.5], false));
    expect(kept!.node!.released).to.equal(false);
  });

  it('grad of grad and Hessian-vector products still work (nested grads retain)', () => {
    const f = (t: Tensor): Tensor => sum(mul(mul(t, t), exp(t)));
    const x = f64([0.3, -0.7], false);
    // f = Σ x²eˣ: f' = eˣ(x² + 2x), f'' = eˣ(x² + 4x + 2)
    const second = grad((t: Tensor) => sum(grad(f)(t)))(x);
    values(second).forEach((g, i) => {
      const v = [0.3, -0.7][i]!;
      expect(g).to.be.closeTo(Math.exp(v) * (v * v + 4 * v + 2), 1e-12);
    });
  });

  it('options of backward, grad, valueAndGrad and the pullback are strict', () => {
    const x = f64([1]);
    expect(() => sum(exp(x)).backward(undefined, { retain_graph: true } as never)).to.throw(
      ArgumentError, /backward: unknown option 'retain_graph' in options \(did you mean 'retainGraph'\?\); accepted: createGraph, retainGraph/,
    );
    expect(() => sum(exp(x)).backward(undefined, { retainGraph: 1 } as never)).to.throw(ArgumentError, /backward: retainGraph must be true or false, got 1/);
    expect(() => grad((t: Tensor) => sum(t), { argnum: 0 } as never)).to.throw(ArgumentError, /grad: unknown option 'argnum'.*did you mean 'argnums'/);
    expect(() => valueAndGrad((t: Tensor) => sum(t), { retain_graph: true } as never)).to.throw(ArgumentError, /valueAndGrad: unknown option 'retain_graph'.*'retainGraph'/);
    expect(() => valueAndGrad((t: Tensor) => sum(t), { retainGraph: 'yes' } as never)).to.throw(ArgumentError, /valueAndGrad: retainGraph must be true or false, got string yes/);
    const [, pullback] = vjp((t: Tensor) => exp(t), f64([1], false));
    expect(() => pullback(f64([1], false), { keepGraph: true } as never)).to.throw(ArgumentError, /vjp pullback: unknown option 'keepGraph'.*accepted: retainGraph/);
    expect(() => pullback(f64([1], false), 'retain' as never)).to.throw(ArgumentError, /vjp pullback: options must be an object/);
    expect(() => pullback(f64([1], false), { retainGraph: null } as never)).to.throw(ArgumentError, /vjp pullback: retainGraph must be true or false, got null/);
  });
});
