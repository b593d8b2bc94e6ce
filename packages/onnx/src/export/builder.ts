// Collects the ONNX graph while the exporter walks the tape: nodes in emission order (inputs are
// emitted before their consumers, so the order is topological), initializers, and unique value
// names. Values keep the tensorgrad tensor they came from where there is one, so a tensor used
// twice gets one name.
import type { Tensor } from '@tensorgrad/core';
import { AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from '../proto.js';

/** An attribute value as the emitting code writes it (ints/floats lists, one number, one string). */
export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

/** ONNX element type of a tensorgrad dtype. */
export function elemTypeOf(dtype: string): number {
  if (dtype === 'float32') return DataType.FLOAT;
  if (dtype === 'float64') return DataType.DOUBLE;
  if (dtype === 'int32') return DataType.INT32;
  throw new Error(`exportOnnx: no ONNX element type for dtype '${dtype}'`);
}

function attribute(name: string, value: AttrValue): AttributeProto {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`exportOnnx: attribute '${name}' = ${value} is not an integer (use { float })`);
    return { name, type: AttributeType.INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.FLOATS, floats: value.floats };
}

/** Little-endian bytes of a typed array's elements (every platform that runs JS here is little-endian). */
function bytesOf(values: Float32Array | Float64Array | Int32Array | BigInt64Array): Uint8Array {
  const copy = values.slice();
  return new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength);
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();

  /** A fresh value name starting with `hint` (hint itself when free). */
  fresh(hint: string): string {
    if (!this.used.has(hint)) {
      this.used.add(hint);
      return hint;
    }
    let n = this.counters.get(hint) ?? 1;
    while (this.used.has(`${hint}_${n}`)) n++;
    this.counters.set(hint, n + 1);
    const name = `${hint}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name that must be used exactly (graph inputs, outputs, state-dict names). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`exportOnnx: the value name '${name}' is used twice`);
    this.used.add(name);
    return name;
  }

  /** Adds an initializer holding a tensor's values under `name` (already reserved). */
  initializerFromTensor(name: string, t: Tensor): string {
    const data = t.data.subarray(0, t.size) as Float32Array | Float64Array | Int32Array;
    this.initializers.push({ name, dims: [...t.shape], dataType: elemTypeOf(t.dtype), rawData: bytesOf(data) });
    return name;
  }

  /** A constant float tensor (model dtype) with a generated name. */
  floatConstant(hint: string, values: ArrayLike<number>, dims: number[], dtype: string): string {
    const name = this.fresh(hint);
    const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
    this.initializers.push({ name, dims, dataType: elemTypeOf(dtype), rawData: bytesOf(data) });
    return name;
  }

  /** A constant int64 tensor (shapes, pads, axes) with a generated name; a 1-D tensor unless dims say otherwise. */
  int64Constant(hint: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh(hint);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims, dataType: DataType.INT64, rawData: bytesOf(data) });
    return name;
  }

  /** Emits a node; returns its (first) output name, fresh from `hint` unless outputs are given. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue | undefined> = {}, output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    const attribute_ = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({ name: `${opType}_${this.nodes.length}`, opType, input: inputs, output: [out], attribute: attribute_ });
    return out;
  }
}
