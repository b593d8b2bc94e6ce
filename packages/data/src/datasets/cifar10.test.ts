import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { parseCifar10 } from './cifar10.js';
import { cifar10 } from './cifar10-node.js';

function record(label: number, r: number, g: number, b: number): Uint8Array {
  const rec = new Uint8Array(3073);
  rec[0] = label;
  rec.fill(r, 1, 1025);
  rec.fill(g, 1025, 2049);
  rec.fill(b, 2049, 3073);
  return rec;
}

describe('CIFAR-10 binary batches', () => {
  it('reads labels and converts the R, G, B planes to HWC pixels', () => {
    const bytes = Uint8Array.of(...record(3, 10, 20, 30), ...record(9, 1, 2, 3));
    const data = parseCifar10([{ bytes, source: 'b.bin' }]);
    expect(data.length).to.equal(2);
    const s = data.get(1);
    expect(s.label).to.equal(9);
    expect([s.input.height, s.input.width, s.input.channels]).to.deep.equal([32, 32, 3]);
    expect(Array.from(s.input.data.subarray(0, 6))).to.deep.equal([1, 2, 3, 1, 2, 3]);
    expect(data.classes[3]).to.equal('cat');
  });

  it('reads the test batch of a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-cifar-'));
    writeFileSync(join(dir, 'test_batch.bin'), record(7, 0, 0, 0));
    expect(cifar10({ root: dir, train: false }).get(0).label).to.equal(7);
    expect(() => cifar10({ root: dir, train: true })).to.throw(DataError, 'data_batch_1.bin');
  });

  it('rejects truncated batches and out-of-range labels', () => {
    expect(() => parseCifar10([{ bytes: record(1, 0, 0, 0).subarray(0, 3000), source: 'b.bin' }])).to.throw(DataError, 'b.bin has 3000 bytes, not a positive multiple of the 3073-byte record');
    expect(() => parseCifar10([{ bytes: record(12, 0, 0, 0), source: 'b.bin' }])).to.throw(DataError, 'b.bin record 0 has label 12, expected 0..9');
  });
});
