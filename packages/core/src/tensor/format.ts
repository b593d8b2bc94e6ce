// How a tensor prints (Tensor.toString, error messages, fast-check counterexamples): small
// tensors show every value, exactly, so a failing property test's counterexample can be read
// and rebuilt; large ones show a few values from each end.
import { formatShape } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';

/** Tensors up to this many elements print every value (nested like toArray). */
const ALL_VALUES_MAX = 64;
/** Values shown from each end of a larger tensor (row-major). */
const EDGE_VALUES = 3;

export function formatTensor(shape: readonly number[], dtype: DType, data: TypedArray | null, requiresGrad: boolean): string {
  const head = `Tensor(shape=${formatShape(shape)}, dtype=${dtype}${requiresGrad ? ', requiresGrad' : ''}`;
  if (data === null) return `${head}, storage released)`;
  if (data.length <= ALL_VALUES_MAX) return `${head}, ${nested(shape, data, dtype)})`;
  const first = Array.from(data.subarray(0, EDGE_VALUES), (v) => formatValue(v, dtype));
  const last = Array.from(data.subarray(data.length - EDGE_VALUES), (v) => formatValue(v, dtype));
  return `${head}, [${first.join(', ')}, ..., ${last.join(', ')}] (${data.length} values, row-major))`;
}

function nested(shape: readonly number[], data: TypedArray, dtype: DType): string {
  const build = (dim: number, offset: number, stride: number): string => {
    if (dim === shape.length) return formatValue(data[offset]!, dtype);
    const n = shape[dim]!;
    const inner = stride / Math.max(n, 1);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(build(dim + 1, offset + i * inner, inner));
    return `[${parts.join(', ')}]`;
  };
  return build(0, 0, data.length);
}

/** The shortest decimal that reads back as the same value in the tensor's dtype. */
function formatValue(v: number, dtype: DType): string {
  if (Object.is(v, -0)) return '-0';
  if (dtype !== 'float32' || !Number.isFinite(v)) return String(v);
  for (let digits = 1; digits < 9; digits++) {
    const s = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(Number(v.toPrecision(9)));
}
