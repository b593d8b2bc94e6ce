// The public API boundary: typed-function checks and converts arguments (numbers, nested
// arrays and typed arrays become tensors) and then calls the untyped internals. Nothing
// below this layer dispatches on types.
// @ts-ignore typed-function ships no type declarations; the interfaces below describe what we use.
import typedFunction from 'typed-function';
import { ArgumentError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { NestedArray } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';

/** Anything the public API accepts where a tensor is expected. */
export type TensorLike = Tensor | number | NestedArray | readonly number[] | TypedArray;

const isTypedArray = (v: unknown): boolean => v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array;

/** The parts of typed-function 4 used here. */
interface TypeDef {
  name: string;
  test: (value: unknown) => boolean;
}
interface Conversion {
  from: string;
  to: string;
  convert: (value: any) => unknown;
}
interface TypedErrorData {
  category: 'wrongType' | 'tooFewArgs' | 'tooManyArgs' | 'mismatch';
  fn: string;
  index?: number;
  actual?: string[];
  expected?: string[];
}
type Signatures = Record<string, (...args: any[]) => unknown>;
interface Typed {
  (name: string, signatures: Signatures): (...args: any[]) => any;
  create(): Typed;
  addTypes(types: TypeDef[], beforeSpec?: string): void;
  addConversions(conversions: Conversion[]): void;
}

export const typed: Typed = (typedFunction as Typed).create();
typed.addTypes([
  { name: 'Tensor', test: (v) => v instanceof Tensor },
  { name: 'TypedArray', test: isTypedArray },
]);
typed.addConversions([
  { from: 'number', to: 'Tensor', convert: (v: number) => tensor(v) },
  { from: 'Array', to: 'Tensor', convert: (v: NestedArray[]) => tensor(v) },
  { from: 'TypedArray', to: 'Tensor', convert: (v: TypedArray) => tensor(v) },
]);

const describeType = (v: unknown): string => {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Tensor) return `Tensor ${v.dtype} [${v.shape.join(',')}]`;
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'Object';
  return typeof v;
};

/**
 * A public function: typed-function dispatch plus errors that name the op and the argument.
 * `params` names the arguments for messages.
 */
export function publicFn<F extends (...args: any[]) => unknown>(name: string, params: readonly string[], signatures: Signatures): F {
  const fn = typed(name, signatures);
  const wrapped = (...args: unknown[]): unknown => {
    try {
      return fn(...args);
    } catch (e) {
      const data = (e as { data?: TypedErrorData }).data;
      if (!(e instanceof TypeError) || data === undefined || data.fn !== name) throw e;
      throw new ArgumentError(dispatchMessage(name, params, data, args));
    }
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped as F;
}

function dispatchMessage(name: string, params: readonly string[], data: TypedErrorData, args: unknown[]): string {
  const usage = `${name}(${params.join(', ')})`;
  switch (data.category) {
    case 'tooFewArgs':
      return `${name}: too few arguments: got ${args.length}, expected ${usage}`;
    case 'tooManyArgs':
      return `${name}: too many arguments: got ${args.length}, expected ${usage}`;
    default: {
      const i = data.index ?? 0;
      const param = params[i] ?? `argument ${i + 1}`;
      const expected = (data.expected ?? []).join(' or ');
      return `${name}: argument '${param}' must be ${expected || 'of another type'}, got ${describeType(args[i])} (usage: ${usage})`;
    }
  }
}
