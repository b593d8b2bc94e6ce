// What flows along the edges of an imported graph: a core Tensor (on the tape, so gradients reach
// the parameters) or a HostValue, a small array known on the host: Constant nodes, integer
// initializers, Shape outputs and what shape arithmetic makes of them (Gather, Concat, Unsqueeze...).
// Host values never need gradients: exporters use them for shapes, axes, pads and scalar operands.
import { Tensor, tensor } from '@tensorgrad/core';
import { DataType, type TensorProto } from '../proto.js';
import { OnnxImportError } from './errors.js';

/** Element kinds a host value can hold. */
export type HostKind = 'float' | 'int' | 'bool';

/** A small tensor held as plain numbers on the host (row-major). */
export class HostValue {
  constructor(
    readonly kind: HostKind,
    readonly shape: readonly number[],
    readonly data: readonly number[],
  ) {
    const size = shape.reduce((n, d) => n * d, 1);
    if (size !== data.length) throw new OnnxImportError(`internal: host value of shape [${shape.join(',')}] holds ${data.length} values`);
  }
}

/** A graph value. */
export type Value = Tensor | HostValue;

/** The ONNX element type of a tensor constant, as what this importer makes of it. */
export function kindOfDataType(dataType: number): HostKind | undefined {
  switch (dataType) {
    case DataType.FLOAT:
    case DataType.DOUBLE:
    case DataType.FLOAT16:
      return 'float';
    case DataType.INT64:
    case DataType.INT32:
    case DataType.INT8:
    case DataType.UINT8:
    case 4: // UINT16
    case 5: // INT16
    case 12: // UINT32
    case 13: // UINT64
      return 'int';
    case DataType.BOOL:
      return 'bool';
    default:
      return undefined;
  }
}

const BYTES: Record<number, number> = {
  [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.FLOAT16]: 2, [DataType.INT64]: 8, [DataType.INT32]: 4,
  [DataType.INT8]: 1, [DataType.UINT8]: 1, 4: 2, 5: 2, 12: 4, 13: 8, [DataType.BOOL]: 1,
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE half → number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The elements of a tensor constant as numbers, from raw bytes or the typed field its type uses. */
export function tensorProtoValues(t: TensorProto, what: string): number[] {
  const dataType = t.dataType ?? 0;
  const size = (t.dims ?? []).reduce((n, d) => n * d, 1);
  if ((t as { dataLocation?: number }).dataLocation === 1) {
    throw new OnnxImportError(`${what} stores its data in an external file, which importOnnx cannot read: embed the weights (e.g. onnx.save without save_as_external_data)`);
  }
  const bytes = BYTES[dataType];
  if (bytes === undefined) throw new OnnxImportError(`${what} has element type ${dataType}, which importOnnx does not read`);
  const raw = t.rawData;
  if (raw !== undefined && raw.length > 0) {
    if (raw.length !== size * bytes) {
      throw new OnnxImportError(`${what} holds ${raw.length} bytes of data but its shape [${(t.dims ?? []).join(',')}] needs ${size * bytes}`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) {
      const o = i * bytes;
      switch (dataType) {
        case DataType.FLOAT: out[i] = view.getFloat32(o, true); break;
        case DataType.DOUBLE: out[i] = view.getFloat64(o, true); break;
        case DataType.FLOAT16: out[i] = halfToNumber(view.getUint16(o, true)); break;
        case DataType.INT64: out[i] = Number(view.getBigInt64(o, true)); break;
        case 13: out[i] = Number(view.getBigUint64(o, true)); break;
        case DataType.INT32: out[i] = view.getInt32(o, true); break;
        case 12: out[i] = view.getUint32(o, true); break;
        case 5: out[i] = view.getInt16(o, true); break;
        case 4: out[i] = view.getUint16(o, true); break;
        case DataType.INT8: out[i] = view.getInt8(o); break;
        default: out[i] = view.getUint8(o); // UINT8, BOOL
      }
    }
    return out;
  }
  const typed =
    dataType === DataType.FLOAT ? t.floatData
    : dataType === DataType.DOUBLE ? t.doubleData
    : dataType === DataType.INT64 ? t.int64Data
    : dataType === 12 || dataType === 13 ? t.uint64Data
    : t.int32Data;
  const values = typed ?? [];
  if (values.length !== size) {
    throw new OnnxImportError(
      size > 0 && values.length === 0
        ? `${what} has no data (shape [${(t.dims ?? []).join(',')}]): its weights were stripped or are stored elsewhere`
        : `${what} holds ${values.length} values but its shape [${(t.dims ?? []).join(',')}] needs ${size}`,
    );
  }
  return dataType === DataType.FLOAT16 ? values.map(halfToNumber) : values.map(Number);
}

/** A tensor constant as a host value (Constant nodes, integer initializers). */
export function hostFromProto(t: TensorProto, what: string): HostValue {
  const kind = kindOfDataType(t.dataType ?? 0);
  if (kind === undefined) throw new OnnxImportError(`${what} has element type ${t.dataType ?? 0}, which importOnnx does not read`);
  const data = tensorProtoValues(t, what);
  return new HostValue(kind, t.dims ?? [], kind === 'float' && t.dataType === DataType.FLOAT ? data.map(Math.fround) : data);
}

/** v as a core tensor: a float host value takes `dtype` (the dtype of the tensors it meets). */
export function asTensor(v: Value, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  if (v instanceof Tensor) return v;
  if (v.kind !== 'float') return tensor(v.data as number[], { shape: [...v.shape], dtype: 'int32' });
  return tensor(v.data as number[], { shape: [...v.shape], dtype });
}

/** The float dtype of the first tensor among values (float32 if none): host operands take it. */
export function floatDtypeOf(values: readonly (Value | undefined)[]): 'float32' | 'float64' {
  for (const v of values) if (v instanceof Tensor && (v.dtype === 'float32' || v.dtype === 'float64')) return v.dtype;
  return 'float32';
}

/** The numbers of v (host values directly; a tensor's data read without gradient). */
export function numbersOf(v: Value): number[] {
  return v instanceof Tensor ? Array.from(v.data as ArrayLike<number>) : [...v.data];
}

/**
 * The data of a floating-point initializer as a typed array: FLOAT (and FLOAT16, widened) as
 * float32, DOUBLE as float64. Raw bytes are copied straight into the array (weights can be tens of
 * millions of values).
 */
export function floatArrayOf(t: TensorProto, what: string): Float32Array | Float64Array {
  const size = (t.dims ?? []).reduce((n, d) => n * d, 1);
  const raw = t.rawData;
  const double = t.dataType === DataType.DOUBLE;
  if (t.dataType !== DataType.FLOAT16 && raw !== undefined && raw.length > 0 && raw.length === size * (double ? 8 : 4) && LITTLE_ENDIAN) {
    const copy = raw.slice();
    return double ? new Float64Array(copy.buffer, 0, size) : new Float32Array(copy.buffer, 0, size);
  }
  const values = tensorProtoValues(t, what);
  return double ? Float64Array.from(values) : Float32Array.from(values);
}
