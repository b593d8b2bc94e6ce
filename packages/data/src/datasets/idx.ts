// IDX: the format of MNIST and Fashion-MNIST. Header: two zero bytes, a type code, the number
// of dimensions, then one big-endian uint32 per dimension; then the values, big-endian.
// This file runs in browsers: it gunzips asynchronously (gzip.ts); idx-node.ts adds files and
// Node's synchronous zlib for the node entry.
import { ArgumentError, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkBoolean, checkBytes, show } from '../check.js';
import { DataError } from '../errors.js';
import { gunzip, isGzip } from './gzip.js';

/** Element types of the IDX format. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
/** The typed array holding an IDX array's values, one per IdxType. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX array: its element type, its shape and its values (row-major). */
export interface IdxArray {
  /** Element type, as the header's type code says. */
  readonly type: IdxType;
  /** Size of each dimension (e.g. [60000, 28, 28] for MNIST images). */
  readonly shape: readonly number[];
  /** The values, row-major, in the typed array of `type`. */
  readonly data: IdxData;
}

const TYPES: ReadonlyArray<[code: number, type: IdxType, bytes: number]> = [
  [0x08, 'uint8', 1], [0x09, 'int8', 1], [0x0b, 'int16', 2], [0x0c, 'int32', 4], [0x0d, 'float32', 4], [0x0e, 'float64', 8],
];

/**
 * Parses an IDX file's uncompressed bytes; `source` names the file in error messages. Gzipped
 * bytes need parseIdxAsync here (browsers gunzip asynchronously); in Node, '@tensorgrad/data'
 * resolves to the node entry, whose parseIdx also gunzips.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  checkBytes('parseIdx', 'bytes', bytes);
  if (isGzip(bytes)) {
    throw new DataError(`parseIdx: ${source} is gzipped; gunzipping is asynchronous outside Node: use await parseIdxAsync(bytes) (or parseIdx(await gunzip(bytes)))`);
  }
  return decodeIdx(bytes, source);
}

/** Parses an IDX file's bytes, gzipped or not, on any platform (DecompressionStream). */
export async function parseIdxAsync(bytes: Uint8Array, source = 'IDX data'): Promise<IdxArray> {
  checkBytes('parseIdxAsync', 'bytes', bytes);
  return decodeIdx(await gunzip(bytes, source), source);
}

/** Parses uncompressed IDX bytes. */
export function decodeIdx(buf: Uint8Array, source: string): IdxArray {
  if (buf.length < 4) throw new DataError(`readIdx: ${source} is truncated: ${buf.length} bytes, an IDX header needs at least 4`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new DataError(`readIdx: ${source} has a wrong magic number 0x${hex(buf, 4)}: an IDX file starts with two zero bytes`);
  }
  const entry = TYPES.find(([code]) => code === buf[2]);
  if (entry === undefined) {
    throw new DataError(`readIdx: ${source} has unknown type code 0x${buf[2]!.toString(16)} (magic 0x${hex(buf, 4)}); expected one of 08, 09, 0b, 0c, 0d, 0e`);
  }
  const [, type, bytesPer] = entry;
  const rank = buf[3]!;
  const headerSize = 4 + 4 * rank;
  if (buf.length < headerSize) throw new DataError(`readIdx: ${source} is truncated: ${buf.length} bytes, its header needs ${headerSize}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerSize + count * bytesPer;
  if (buf.length !== expected) {
    const what = buf.length < expected ? 'is truncated' : 'has trailing bytes';
    throw new DataError(`readIdx: ${source} ${what}: ${buf.length} bytes, but a ${type} array of shape [${shape.join(',')}] needs ${expected}`);
  }
  return { type, shape, data: decode(view, headerSize, count, type) };
}

/** Options of `encodeIdx`. */
export interface EncodeIdxOptions {
  /** Gzip the bytes (readIdx and parseIdx read both). Default false. */
  gzip?: boolean;
}
const ENCODE_IDX_OPTIONS = optionKeys<EncodeIdxOptions>()(['gzip']);

/**
 * Encodes an array as IDX bytes, the inverse of parseIdx. `gzip: true` compresses with Node's
 * zlib, which only the node entry has (compress with CompressionStream('gzip') elsewhere).
 */
export function encodeIdx(array: IdxArray, options: EncodeIdxOptions = {}): Uint8Array {
  const { bytes, gzip } = encodeIdxBytes(array, options);
  if (gzip) {
    throw new ArgumentError("encodeIdx: gzip: true compresses with Node's zlib, which this browser-safe entry does not include; in Node, '@tensorgrad/data' resolves to the node entry, which has it");
  }
  return bytes;
}

/** The checked options and uncompressed bytes of encodeIdx. */
export function encodeIdxBytes(array: IdxArray, options: EncodeIdxOptions): { bytes: Uint8Array; gzip: boolean } {
  checkOptions('encodeIdx', options, ENCODE_IDX_OPTIONS);
  const { gzip = false } = options;
  checkBoolean('encodeIdx', 'gzip', gzip);
  if (typeof array !== 'object' || array === null) throw new ArgumentError(`encodeIdx: array must be { type, shape, data }, got ${show(array)}`);
  const entry = TYPES.find(([, type]) => type === array.type);
  if (entry === undefined) throw new ArgumentError(`encodeIdx: array.type must be one of ${TYPES.map(([, t]) => t).join(', ')}, got ${show(array.type)}`);
  if (!Array.isArray(array.shape)) throw new ArgumentError(`encodeIdx: array.shape must be an array of sizes, got ${show(array.shape)}`);
  array.shape.forEach((s, d) => checkNumber('encodeIdx', `array.shape[${d}]`, s, { integer: true, min: 0, max: 0xffffffff }));
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new ArgumentError(`encodeIdx: shape [${array.shape.join(',')}] needs ${count} values, got ${array.data.length}`);
  }
  const [code, type, bytesPer] = entry;
  const headerSize = 4 + 4 * array.shape.length;
  const out = new Uint8Array(headerSize + count * bytesPer);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.shape.length;
  array.shape.forEach((s, d) => view.setUint32(4 + 4 * d, s));
  const write = setter(view, type);
  for (let i = 0; i < count; i++) write(headerSize + i * bytesPer, array.data[i]!);
  return { bytes: out, gzip };
}

function decode(view: DataView, offset: number, count: number, type: IdxType): IdxData {
  // Byte-sized types are copied as they are; wider ones are big-endian and need DataView reads.
  const start = view.byteOffset + offset;
  switch (type) {
    case 'uint8': return new Uint8Array(view.buffer.slice(start, start + count));
    case 'int8': return new Int8Array(view.buffer.slice(start, start + count));
    case 'int16': return Int16Array.from({ length: count }, (_, i) => view.getInt16(offset + 2 * i));
    case 'int32': return Int32Array.from({ length: count }, (_, i) => view.getInt32(offset + 4 * i));
    case 'float32': return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i));
    case 'float64': return Float64Array.from({ length: count }, (_, i) => view.getFloat64(offset + 8 * i));
  }
}

function setter(view: DataView, type: IdxType): (offset: number, value: number) => void {
  switch (type) {
    case 'uint8': return (o, v) => view.setUint8(o, v);
    case 'int8': return (o, v) => view.setInt8(o, v);
    case 'int16': return (o, v) => view.setInt16(o, v);
    case 'int32': return (o, v) => view.setInt32(o, v);
    case 'float32': return (o, v) => view.setFloat32(o, v);
    case 'float64': return (o, v) => view.setFloat64(o, v);
  }
}

function hex(buf: Uint8Array, n: number): string {
  return Array.from(buf.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join('');
}
