// Runs the eval-mode forward whose tape the exporter reads. Every module's forward is wrapped for
// the call (as Module.summary does) to learn which module applied each op (for error messages)
// and to mark the outputs of layers that ONNX has one operator for while the tape holds their
// decomposition: eval BatchNorm (BatchNormalization, with the running statistics as named
// initializers rather than a folded constant) and LocalResponseNorm (LRN). Everything is
// restored afterwards: training flags, forwards, parameters' requiresGrad.
import { type Tensor, enableGrad, inPlaceAsOutOfPlace } from '@tensorgrad/core';
import { BatchNorm1d, BatchNorm2d, LocalResponseNorm, type Module } from '@tensorgrad/nn';

/** A layer exported as one ONNX operator instead of the ops its forward recorded. */
export type FusedLayer =
  | { kind: 'batchNorm'; input: Tensor; module: BatchNorm1d | BatchNorm2d; path: string }
  | { kind: 'lrn'; input: Tensor; module: LocalResponseNorm; path: string };

/** The tape of one forward, with what the module wrappers learned. */
export interface Trace {
  /** The example input as the forward saw it (a leaf requiring grad, so every op on it is recorded). */
  input: Tensor;
  output: unknown;
  fused: Map<Tensor, FusedLayer>;
  /** The innermost module that applied each recorded op, by its output tensor. */
  modulePath: Map<Tensor, string>;
}

type GraphNodeOf = NonNullable<Tensor['node']>;

/** Marks the ops between a module call's inputs and its output as applied by `path`. */
function claim(output: Tensor, floor: number, path: string, modulePath: Map<Tensor, string>): void {
  const stack: Tensor[] = [output];
  const seen = new Set<GraphNodeOf>();
  while (stack.length > 0) {
    const t = stack.pop()!;
    const node = t.node;
    if (node === null || node.seq <= floor || seen.has(node)) continue;
    seen.add(node);
    if (!modulePath.has(t)) modulePath.set(t, path);
    for (const i of node.inputs ?? []) if (i !== null) stack.push(i);
  }
}

const maxSeq = (args: unknown[]): number =>
  args.reduce<number>((m, a) => (a !== null && typeof a === 'object' && 'node' in a ? Math.max(m, (a as Tensor).node?.seq ?? -1) : m), -1);

function fusedLayer(m: Module, input: unknown, path: string): FusedLayer | null {
  if (input === null || typeof input !== 'object') return null;
  const x = input as Tensor;
  if ((m instanceof BatchNorm1d || m instanceof BatchNorm2d) && m.runningMean !== null) return { kind: 'batchNorm', input: x, module: m, path };
  if (m instanceof LocalResponseNorm) return { kind: 'lrn', input: x, module: m, path };
  return null;
}

/** Runs model(exampleInput) in eval mode with recording on and returns its tape. */
export function traceForward(model: Module, exampleInput: Tensor): Trace {
  const fused = new Map<Tensor, FusedLayer>();
  const modulePath = new Map<Tensor, string>();
  const restore: (() => void)[] = [];
  try {
    for (const p of model.parameters()) {
      if (!p.requiresGrad && (p.dtype === 'float32' || p.dtype === 'float64')) {
        p.requiresGrad = true;
        restore.push(() => { p.requiresGrad = false; });
      }
    }
    for (const [path, m] of model.namedModules()) {
      const training = m.training;
      const own = Object.getOwnPropertyDescriptor(m, 'forward');
      const forward = m.forward;
      restore.push(() => {
        m.training = training;
        if (own === undefined) delete (m as { forward?: unknown }).forward;
        else Object.defineProperty(m, 'forward', own);
      });
      m.training = false;
      Object.defineProperty(m, 'forward', {
        configurable: true,
        writable: true,
        value: (...args: unknown[]): unknown => {
          const floor = maxSeq(args);
          const y = (forward as (...a: unknown[]) => unknown).apply(m, args);
          if (y !== null && typeof y === 'object' && 'node' in y) {
            const out = y as Tensor;
            claim(out, floor, path === '' ? '(root)' : path, modulePath);
            const f = fusedLayer(m, args[0], path);
            if (f !== null && out !== args[0]) fused.set(out, f);
          }
          return y;
        },
      });
    }
    const input = exampleInput.detach();
    input.requiresGrad = true;
    // In-place ops (ReLU({ inplace: true })) out of place: values are named by tensor here.
    const output = enableGrad(() => inPlaceAsOutOfPlace(() => (model.invoke as (...a: unknown[]) => unknown)(input)));
    return { input, output, fused, modulePath };
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
