// The ONNX protobuf messages as plain objects, and their encoding. The wire format is the
// onnx-proto package's generated protobufjs code (no codec of our own); this module only turns its
// message classes into plain objects with numbers for int64 fields (Long objects in Node, numbers
// in browsers otherwise) and back, so export and import work on one shape everywhere.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX `TensorProto.DataType` codes used by this package. */
export const DataType = {
  /** 32-bit IEEE float. */
  FLOAT: 1,
  /** Unsigned 8-bit integer. */
  UINT8: 2,
  /** Signed 8-bit integer. */
  INT8: 3,
  /** Signed 32-bit integer. */
  INT32: 6,
  /** Signed 64-bit integer (shapes, axes, pads in input form). */
  INT64: 7,
  /** Boolean. */
  BOOL: 9,
  /** 16-bit IEEE float. */
  FLOAT16: 10,
  /** 64-bit IEEE float. */
  DOUBLE: 11,
} as const;

/** ONNX `AttributeProto.AttributeType` codes. */
export const AttributeType = {
  /** One float, in `f`. */
  FLOAT: 1,
  /** One integer, in `i`. */
  INT: 2,
  /** One byte string, in `s`. */
  STRING: 3,
  /** One tensor, in `t`. */
  TENSOR: 4,
  /** One subgraph, in `g`. */
  GRAPH: 5,
  /** Floats, in `floats`. */
  FLOATS: 6,
  /** Integers, in `ints`. */
  INTS: 7,
  /** Byte strings, in `strings`. */
  STRINGS: 8,
  /** Tensors, in `tensors`. */
  TENSORS: 9,
} as const;

/**
 * A tensor constant (an initializer, or a `Constant` node's value). Data is in `rawData`
 * (little-endian, as exporters write it) or in the typed field for its `dataType`. `rawData` of a
 * decoded model is a plain Uint8Array view into the decoded bytes, possibly unaligned: copy it
 * (`rawData.slice()`) before viewing it as a Float32Array.
 */
export interface TensorProto {
  /** Name (the initializer's value name in the graph). */
  name?: string;
  /** Shape; empty for a scalar. */
  dims?: number[];
  /** Element type: a {@link DataType} code. */
  dataType?: number;
  /** Elements as little-endian bytes. */
  rawData?: Uint8Array;
  /** Elements of a FLOAT (or FLOAT16/BFLOAT16/COMPLEX64) tensor. */
  floatData?: number[];
  /** Elements of INT32, INT16, INT8, UINT16, UINT8, BOOL and FLOAT16 (bits) tensors. */
  int32Data?: number[];
  /** Elements of an INT64 tensor. */
  int64Data?: number[];
  /** Elements of a DOUBLE (or COMPLEX128) tensor. */
  doubleData?: number[];
  /** Elements of a UINT32 or UINT64 tensor. */
  uint64Data?: number[];
  /** Free-text documentation. */
  docString?: string;
}

/** A dimension of a value's shape: a fixed size or a named symbolic one (e.g. a dynamic batch). */
export interface TensorShapeDimension {
  /** Fixed size. */
  dimValue?: number;
  /** Symbolic name, for a size known only at run time. */
  dimParam?: string;
}

/** The type of a graph value; tensor types are the only kind this package reads or writes. */
export interface TypeProto {
  /** A tensor type: element type and (optional) shape. */
  tensorType?: {
    /** Element type: a {@link DataType} code. */
    elemType?: number;
    /** Shape, when known. */
    shape?: {
      /** One entry per dimension. */
      dim?: TensorShapeDimension[];
    };
  };
}

/** A named graph value with its type: a graph input, output or annotated intermediate. */
export interface ValueInfoProto {
  /** Value name. */
  name?: string;
  /** Its type. */
  type?: TypeProto;
  /** Free-text documentation. */
  docString?: string;
}

/** A node attribute; which value field is set depends on `type` ({@link AttributeType}). */
export interface AttributeProto {
  /** Attribute name (e.g. `kernel_shape`). */
  name?: string;
  /** Which field holds the value: an {@link AttributeType} code. */
  type?: number;
  /** FLOAT value. */
  f?: number;
  /** INT value. */
  i?: number;
  /** STRING value (bytes, usually UTF-8). */
  s?: Uint8Array;
  /** TENSOR value. */
  t?: TensorProto;
  /** GRAPH value. */
  g?: GraphProto;
  /** FLOATS value. */
  floats?: number[];
  /** INTS value. */
  ints?: number[];
  /** STRINGS value. */
  strings?: Uint8Array[];
  /** TENSORS value. */
  tensors?: TensorProto[];
  /** Free-text documentation. */
  docString?: string;
}

/** One operator application: `outputs = opType(inputs; attributes)`. An empty input name is an omitted optional input. */
export interface NodeProto {
  /** Node name (for messages). */
  name?: string;
  /** Operator, e.g. `Conv`. */
  opType?: string;
  /** Operator set domain; empty or absent for the default ONNX domain. */
  domain?: string;
  /** Input value names. */
  input?: string[];
  /** Output value names. */
  output?: string[];
  /** Attributes. */
  attribute?: AttributeProto[];
  /** Free-text documentation. */
  docString?: string;
}

/** A computation graph: nodes in topological order, constants, and typed inputs and outputs. */
export interface GraphProto {
  /** Graph name. */
  name?: string;
  /** Nodes, in topological order. */
  node?: NodeProto[];
  /** Named constant tensors (weights). */
  initializer?: TensorProto[];
  /** Graph inputs (in older IR versions, initializers are listed here too). */
  input?: ValueInfoProto[];
  /** Graph outputs. */
  output?: ValueInfoProto[];
  /** Types of intermediate values, when an exporter recorded them. */
  valueInfo?: ValueInfoProto[];
  /** Free-text documentation. */
  docString?: string;
}

/** An operator set the model uses, with its version. */
export interface OperatorSetIdProto {
  /** Domain; empty or absent for the default ONNX domain. */
  domain?: string;
  /** Operator set version (the "opset"). */
  version?: number;
}

/** A whole ONNX model: the graph plus the IR version and operator sets it is written for. */
export interface ModelProto {
  /** ONNX IR version of the file format. */
  irVersion?: number;
  /** Operator sets used by the graph. */
  opsetImport?: OperatorSetIdProto[];
  /** Name of the tool that wrote the model. */
  producerName?: string;
  /** Version of that tool. */
  producerVersion?: string;
  /** Model namespace (reverse-DNS), if any. */
  domain?: string;
  /** Version of the model itself. */
  modelVersion?: number;
  /** Free-text documentation. */
  docString?: string;
  /** The computation graph. */
  graph?: GraphProto;
}

/** Serializes a model to ONNX protobuf bytes (what `.onnx` files hold). */
export function encodeModel(model: ModelProto): Uint8Array {
  const message = onnx.ModelProto.fromObject(model as Record<string, unknown>);
  const bytes = onnx.ModelProto.encode(message).finish();
  // In Node protobufjs writes a Buffer; callers get a plain Uint8Array everywhere (same memory).
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses ONNX protobuf bytes into a plain {@link ModelProto}: int64 fields as numbers (values past
 * 2^53, such as INT64_MAX in Slice ends, are rounded), enums as numeric codes, repeated fields as
 * arrays (empty when absent), fields not on the wire absent. Throws on bytes that are not a
 * protobuf message.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  let message;
  try {
    // A plain Uint8Array view, even of a Buffer (e.g. from readFileSync): protobufjs then hands out
    // bytes fields as plain Uint8Array views, whose slice() copies (a Buffer's does not).
    message = onnx.ModelProto.decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`decodeModel: the ${bytes.length} bytes are not an ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  return onnx.ModelProto.toObject(message, { longs: Number, enums: Number, arrays: true }) as ModelProto;
}
