// The public API boundary: typed-function checks and converts arguments (numbers, nested
// arrays and typed arrays become tensors) and then calls the untyped internals. Nothing
// below this layer dispatches on types.
// @ts-ignore typed-function ships no type declarations; the interfaces below describe what we use.
import typedFunction from 'typed-function';
import { AllocationError, ArgumentError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { NestedArray } from '../tensor/tensor.js';
import type { TypedArray } from '../tensor/dtype.js';

/** Anything the public API accepts where a tensor is expected. */
export type TensorLike = Tensor | number | NestedArray | readonly number[] | TypedArray;

const isTypedArray = (v: unknown): boolean => v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array;
const isTensorSource = (v: unknown): boolean => typeof v === 'number' || Array.isArray(v) || isTypedArray(v);

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

/** Type name for a tensor argument that may be null or undefined (use it instead of a union). */
export const OPTIONAL_TENSOR = 'OptionalTensor';

export const typed: Typed = (typedFunction as Typed).create();
typed.addTypes([
  { name: 'Tensor', test: (v) => v instanceof Tensor },
  { name: 'TypedArray', test: isTypedArray },
  // Optional tensor arguments are one type that also accepts what converts to a tensor, and
  // `optionalTensor` converts inside the signature. The union 'Tensor | null | undefined' with
  // conversions makes typed-function build every combination of argument types (batchNorm alone
  // held ~38 MB of heap, which every major GC then had to mark).
  { name: OPTIONAL_TENSOR, test: (v) => v === null || v === undefined || v instanceof Tensor || isTensorSource(v) },
]);
typed.addConversions([
  { from: 'number', to: 'Tensor', convert: (v: number) => tensor(v) },
  { from: 'Array', to: 'Tensor', convert: (v: NestedArray[]) => tensor(v) },
  { from: 'TypedArray', to: 'Tensor', convert: (v: TypedArray) => tensor(v) },
]);

/** The value of an OptionalTensor argument: null, or a tensor (converted if need be). */
export function optionalTensor(v: TensorLike | null | undefined): Tensor | null {
  return v === null || v === undefined ? null : v instanceof Tensor ? v : tensor(v as NestedArray);
}

const describeType = (v: unknown): string => {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Tensor) return `Tensor ${v.dtype} [${v.shape.join(',')}]`;
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'Object';
  return typeof v;
};

/**
 * The tensor an in-place function (relu_, add_) writes over, as given: no conversion from arrays
 * or numbers, as the other public functions do, since the result is that tensor itself.
 */
export function inPlaceTarget(name: string, param: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new ArgumentError(`${name}: argument '${param}' must be a Tensor (${name} writes over it), got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
}

/**
 * A public function: typed-function dispatch plus errors that name the op and the argument.
 * `params` names the arguments for messages. An AllocationError from anywhere inside (a tensor
 * too large to make) leaves named after this function, the op the user called.
 */
export function publicFn<F extends (...args: any[]) => unknown>(name: string, params: readonly string[], signatures: Signatures): F {
  const fn = typed(name, signatures);
  const wrapped = (...args: unknown[]): unknown => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof AllocationError) throw e.named(name);
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
      const expected = (data.expected ?? []).map((t) => (t === OPTIONAL_TENSOR ? 'Tensor or null' : t)).join(' or ');
      return `${name}: argument '${param}' must be ${expected || 'of another type'}, got ${describeType(args[i])} (usage: ${usage})`;
    }
  }
}
