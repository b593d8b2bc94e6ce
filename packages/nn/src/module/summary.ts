// Module.summary: a table of the layers a forward pass runs through, with output shapes and
// parameter counts (torchinfo's summary, Keras' model.summary). The forward runs once on zeros,
// in eval mode and without recording a graph, and every module's training flag and forward are
// restored afterwards: printing a summary changes no state (no BatchNorm statistics, no dropout
// draws). Rows follow the calls, as torchinfo's: a module called twice has two rows, the second
// with '(recursive)' for its parameters; a module never called has none (its parameters still count
// in the totals).
import { ArgumentError, type DType, Tensor, noGrad, zeros } from '@tensorgrad/core';

/** What summary needs of a module (Module, without importing it: module.ts imports this file). */
export interface Summarizable {
  training: boolean;
  forward(...args: never[]): unknown;
  invoke(...args: never[]): unknown;
  namedModules(): Iterable<[string, Summarizable]>;
  namedParameters(): Iterable<[string, Tensor]>;
  buffers(): Tensor[];
}

interface Row {
  depth: number;
  label: string;
  output: string;
  params: string;
}

/** The summary table of `root` run on zeros of `inputShapes` (one shape per forward argument). */
export function summaryTable(root: Summarizable, inputShapes: readonly (readonly number[])[]): string {
  const where = `${root.constructor.name}.summary`;
  const modules = [...root.namedModules()];
  const names = new Map(modules.map(([name, m]) => [m, name]));
  const { ownCounts, total, trainable } = countParameters(root, modules);
  const dtype = floatDTypeOf(root);
  const inputs = inputShapes.map((shape) => zeros(shape, { dtype }));

  const rows: Row[] = [];
  const seen = new Set<Summarizable>();
  let depth = 0;
  const restore: (() => void)[] = [];
  for (const [, m] of modules) {
    const training = m.training;
    const own = Object.getOwnPropertyDescriptor(m, 'forward');
    const forward = m.forward;
    restore.push(() => {
      m.training = training;
      if (own === undefined) delete (m as Partial<Summarizable>).forward;
      else Object.defineProperty(m, 'forward', own);
    });
    m.training = false;
    Object.defineProperty(m, 'forward', {
      configurable: true,
      writable: true,
      value: (...args: never[]): unknown => {
        const name = names.get(m)!;
        const type = m.constructor.name;
        const count = ownCounts.get(m)!;
        const row: Row = {
          depth,
          label: name === '' ? type : `${name} (${type})`,
          output: '--',
          params: seen.has(m) ? '(recursive)' : count === 0 ? '--' : group(count),
        };
        seen.add(m);
        rows.push(row);
        depth++;
        try {
          const out = forward.apply(m, args);
          row.output = describe(out);
          return out;
        } finally {
          depth--;
        }
      },
    });
  }
  try {
    noGrad(() => root.invoke(...(inputs as never[])));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ArgumentError(`${where}: the forward pass on zeros of shape ${inputShapes.map(list).join(', ')} (${dtype}) failed: ${message}`);
  } finally {
    for (const undo of restore) undo();
  }

  const header: Row = { depth: 0, label: 'Layer (type)', output: 'Output shape', params: 'Param #' };
  const labelWidth = Math.max(...[header, ...rows].map((r) => 2 * r.depth + r.label.length));
  const outputWidth = Math.max(...[header, ...rows].map((r) => r.output.length));
  const paramsWidth = Math.max(...[header, ...rows].map((r) => r.params.length));
  const line = (r: Row): string =>
    `${(' '.repeat(2 * r.depth) + r.label).padEnd(labelWidth)}  ${r.output.padEnd(outputWidth)}  ${r.params.padStart(paramsWidth)}`.trimEnd();
  const rule = '='.repeat(labelWidth + outputWidth + paramsWidth + 4);
  return [
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${group(total)}`,
    `Trainable params: ${group(trainable)}`,
    `Non-trainable params: ${group(total - trainable)}`,
  ].join('\n');
}

/** Each module's own parameters (a shared one counted at its first owner), and the totals. */
function countParameters(root: Summarizable, modules: [string, Summarizable][]): { ownCounts: Map<Summarizable, number>; total: number; trainable: number } {
  const byName = new Map(modules);
  const ownCounts = new Map<Summarizable, number>(modules.map(([, m]) => [m, 0]));
  let total = 0;
  let trainable = 0;
  // The root lists each parameter once, under its first owner's dotted name.
  for (const [name, p] of root.namedParameters()) {
    const owner = byName.get(name.slice(0, Math.max(name.lastIndexOf('.'), 0)))!;
    ownCounts.set(owner, ownCounts.get(owner)! + p.size);
    total += p.size;
    if (p.requiresGrad) trainable += p.size;
  }
  return { ownCounts, total, trainable };
}

/** The dtype the input is made in: that of the module's first floating-point parameter or buffer. */
function floatDTypeOf(m: Summarizable): DType {
  for (const [, p] of m.namedParameters()) return p.dtype;
  for (const b of m.buffers()) if (b.dtype !== 'int32') return b.dtype;
  return 'float32';
}

function describe(out: unknown): string {
  if (out instanceof Tensor) return list(out.shape);
  if (Array.isArray(out)) return `(${out.map(describe).join(', ')})`;
  return '--';
}

const list = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** 61706 → '61,706' (no locale: the same text everywhere). */
const group = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');
