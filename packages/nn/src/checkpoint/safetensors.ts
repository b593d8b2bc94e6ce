// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {str: str}},
// then the raw little-endian tensor bytes, offsets relative to the end of the header.
import { DeviceError, Tensor, type TypedArray } from '@tensorgrad/core';
import { CheckpointError } from '../errors.js';

/** The contents of a safetensors file. */
export interface Safetensors {
  /** The tensors by name, in file order. */
  tensors: Map<string, Tensor>;
  /** The `__metadata__` strings ({} when absent). */
  metadata: Record<string, string>;
}

const WRITE_DTYPES = { float32: 'F32', float64: 'F64', int32: 'I32' } as const;
const ITEM_SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, I64: 8 };
// The header is parsed before any allocation it implies; this bounds a hostile length field.
const MAX_HEADER = 100_000_000;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('@tensorgrad/nn safetensors: this platform is big-endian; only little-endian platforms are supported');
}

/** Serialises tensors (in the given order) and string metadata. */
export function encodeSafetensors(tensors: Map<string, Tensor> | Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array<ArrayBuffer> {
  if (tensors === null || typeof tensors !== 'object') throw new CheckpointError(`encodeSafetensors: tensors must be a Map or an object of name → Tensor, got ${String(tensors)}`);
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [k, v] of Object.entries(metadata ?? {})) {
    // The format allows only strings here; a reader (ours included) rejects anything else.
    if (typeof v !== 'string') throw new CheckpointError(`encodeSafetensors: metadata.${k} must be a string, got ${typeof v}`);
  }
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new CheckpointError("encodeSafetensors: '__metadata__' cannot name a tensor");
    if (!(t instanceof Tensor)) throw new CheckpointError(`encodeSafetensors: '${name}' must be a Tensor`);
    if (t.device !== 'cpu') throw new DeviceError(`encodeSafetensors: '${name}' is on '${t.device}', whose memory is read asynchronously: pass \`await t.toAsync('cpu')\``);
    header[name] = { dtype: WRITE_DTYPES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  const jsonBytes = new TextEncoder().encode(json);
  const padded = Math.ceil(jsonBytes.length / 8) * 8;
  json += ' '.repeat(padded - jsonBytes.length);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(new TextEncoder().encode(json), 8);
  let at = 8 + padded;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Parses and fully validates a safetensors buffer: header length, JSON, dtypes, shapes, and
 * offsets that tile the data section exactly. I64 (PyTorch's default integer type) is read as
 * int32 when every value fits.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): Safetensors {
  const fail = (why: string): never => {
    throw new CheckpointError(`decodeSafetensors: ${source}: ${why}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} byte(s), but the header length alone takes 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER) fail(`header length ${n} is implausible (corrupted or not a safetensors file)`);
  if (8 + n > bytes.length) fail(`truncated: header needs ${n} bytes but only ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header must be a JSON object');
  const { __metadata__: meta, ...entries } = header as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  if (meta !== undefined) {
    if (typeof meta !== 'object' || meta === null) fail('__metadata__ must be an object of strings');
    for (const [k, v] of Object.entries(meta as object)) {
      if (typeof v !== 'string') fail(`__metadata__.${k} must be a string, got ${typeof v}`);
      metadata[k] = v as string;
    }
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const parsed = Object.entries(entries).map(([name, e]) => parseEntry(name, e, fail));
  // Offsets must tile [0, dataLength) exactly: no gaps, overlaps, or bytes past the end.
  let expected = 0;
  for (const e of [...parsed].sort((a, b) => a.begin - b.begin)) {
    if (e.begin !== expected) fail(`'${e.name}' starts at byte ${e.begin} but the previous tensor ends at ${expected} (overlap or gap)`);
    expected = e.end;
  }
  if (expected !== dataLength) {
    fail(expected > dataLength ? `truncated: tensors need ${expected} data bytes but the file has ${dataLength}` : `${dataLength - expected} trailing byte(s) after the last tensor`);
  }
  const tensors = new Map<string, Tensor>();
  for (const e of parsed) {
    // Copied into a fresh, aligned buffer (a Node Buffer's slice would be a view into a shared pool).
    const raw = new Uint8Array(e.end - e.begin);
    raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    tensors.set(e.name, new Tensor(toTypedArray(e.name, e.dtype, raw.buffer, fail), e.shape));
  }
  return { tensors, metadata };
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(name: string, e: unknown, fail: (why: string) => never): Entry {
  if (typeof e !== 'object' || e === null) fail(`entry '${name}' must be an object`);
  const { dtype, shape, data_offsets: offsets } = e as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ITEM_SIZE)) {
    fail(`'${name}' has dtype ${JSON.stringify(dtype)}; supported: ${Object.keys(ITEM_SIZE).join(', ')}`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`'${name}' has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    fail(`'${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== numel * ITEM_SIZE[dtype as string]!) {
    fail(`'${name}' (${String(dtype)} [${(shape as number[]).join(',')}]) needs ${numel * ITEM_SIZE[dtype as string]!} bytes but data_offsets span ${end - begin}`);
  }
  return { name, dtype: dtype as string, shape: shape as number[], begin, end };
}

function toTypedArray(name: string, dtype: string, raw: ArrayBuffer, fail: (why: string) => never): TypedArray {
  switch (dtype) {
    case 'F32': return new Float32Array(raw);
    case 'F64': return new Float64Array(raw);
    case 'I32': return new Int32Array(raw);
    default: {
      const wide = new BigInt64Array(raw);
      const out = new Int32Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = wide[i]!;
        if (v > 2147483647n || v < -2147483648n) fail(`'${name}' holds the I64 value ${v}, which does not fit in int32`);
        out[i] = Number(v);
      }
      return out;
    }
  }
}
