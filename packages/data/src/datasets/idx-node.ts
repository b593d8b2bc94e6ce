// IDX files and Node's synchronous gunzip/gzip: the node entry's readIdx, parseIdx and encodeIdx.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { checkBytes, checkPath } from '../check.js';
import { DataError } from '../errors.js';
import { maybeGunzip } from './gzip-node.js';
import { type EncodeIdxOptions, type IdxArray, decodeIdx, encodeIdxBytes } from './idx.js';

/** Parses an IDX file's bytes (gzipped or not); `source` names the file in error messages. */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  checkBytes('parseIdx', 'bytes', bytes);
  return decodeIdx(maybeGunzip(bytes, source), source);
}

/** Reads an IDX file (gzipped or not). */
export function readIdx(path: string): IdxArray {
  checkPath('readIdx', 'path', path);
  return parseIdx(readFileBytes('readIdx', path), path);
}

/** Encodes an array as IDX bytes (gzipped when asked), the inverse of parseIdx. */
export function encodeIdx(array: IdxArray, options: EncodeIdxOptions = {}): Uint8Array {
  const { bytes, gzip } = encodeIdxBytes(array, options);
  return gzip ? gzipSync(bytes) : bytes;
}

export function readFileBytes(op: string, path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new DataError(`${op}: cannot read ${path}: ${(e as Error).message}`);
  }
}
