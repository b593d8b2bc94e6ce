import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { encodeIdx, parseIdx, readIdx } from './idx-node.js';

describe('IDX reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-idx-'));

  it('round-trips files it writes, plain and gzipped, for every type', () => {
    const arrays = [
      { type: 'uint8' as const, shape: [2, 3, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) },
      { type: 'int16' as const, shape: [3], data: Int16Array.of(-300, 0, 12345) },
      { type: 'int32' as const, shape: [2], data: Int32Array.of(-70000, 2 ** 30) },
      { type: 'float32' as const, shape: [2, 1], data: Float32Array.of(1.5, -2.25) },
      { type: 'float64' as const, shape: [1], data: Float64Array.of(Math.PI) },
    ];
    for (const array of arrays) {
      for (const gzip of [false, true]) {
        const path = join(dir, `${array.type}-${gzip}.idx`);
        writeFileSync(path, encodeIdx(array, { gzip }));
        const back = readIdx(path);
        expect(back.type).to.equal(array.type);
        expect(back.shape).to.deep.equal(array.shape);
        expect(Array.from(back.data)).to.deep.equal(Array.from(array.data));
      }
    }
  });

  it('stores big-endian dimensions after the 00 00 type rank header', () => {
    const bytes = encodeIdx({ type: 'uint8', shape: [1, 258], data: new Uint8Array(258) });
    expect(Array.from(bytes.subarray(0, 12))).to.deep.equal([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 1, 2]);
  });

  const valid = encodeIdx({ type: 'uint8', shape: [4, 5], data: new Uint8Array(20) });

  it('rejects a wrong magic number, an unknown type code, truncation and trailing bytes', () => {
    const wrongMagic = valid.slice();
    wrongMagic[0] = 0x1a;
    expect(() => parseIdx(wrongMagic, 'x.idx')).to.throw(DataError, 'readIdx: x.idx has a wrong magic number 0x1a000802');
    const badType = valid.slice();
    badType[2] = 0x07;
    expect(() => parseIdx(badType, 'x.idx')).to.throw(DataError, 'unknown type code 0x7');
    expect(() => parseIdx(valid.subarray(0, 10), 'x.idx')).to.throw(DataError, 'x.idx is truncated: 10 bytes, its header needs 12');
    expect(() => parseIdx(valid.subarray(0, 30), 'x.idx')).to.throw(DataError, 'x.idx is truncated: 30 bytes, but a uint8 array of shape [4,5] needs 32');
    expect(() => parseIdx(Uint8Array.of(...valid, 1), 'x.idx')).to.throw(DataError, 'has trailing bytes');
  });

  it('rejects a truncated gzip file and names it', () => {
    const gz = encodeIdx({ type: 'uint8', shape: [100], data: new Uint8Array(100) }, { gzip: true });
    const path = join(dir, 'cut.idx.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 10));
    expect(() => readIdx(path)).to.throw(DataError, `${path} is a corrupt or truncated gzip file`);
  });

  it('names a file that cannot be read', () => {
    expect(() => readIdx(join(dir, 'nope'))).to.throw(DataError, 'readIdx: cannot read');
  });
});
