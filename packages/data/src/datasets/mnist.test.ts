import { expect } from 'chai';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../errors.js';
import { encodeIdx } from './idx-node.js';
import { FASHION_MNIST_DIR, fashionMnist } from './mnist-node.js';

describe('fashionMnist', () => {
  it('reads the four IDX files from a named directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-fmnist-'));
    const pixels = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => i);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), encodeIdx({ type: 'uint8', shape: [3, 4, 5], data: pixels }, { gzip: true }));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx({ type: 'uint8', shape: [3], data: Uint8Array.of(9, 0, 4) }));
    const test = fashionMnist({ root: dir, train: false });
    expect(test.length).to.equal(3);
    const s = test.get(2);
    expect(s.label).to.equal(4);
    expect([s.input.height, s.input.width, s.input.channels]).to.deep.equal([4, 5, 1]);
    expect(Array.from(s.input.data)).to.deep.equal(Array.from(pixels.subarray(40, 60)));
    expect(() => fashionMnist({ root: dir, train: true })).to.throw(DataError, `fashionMnist: directory ${dir} lacks train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]`);
  });

  it('rejects labels that disagree with the images', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-fmnist-'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), encodeIdx({ type: 'uint8', shape: [2, 2, 2], data: new Uint8Array(8) }));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdx({ type: 'uint8', shape: [3], data: new Uint8Array(3) }));
    expect(() => fashionMnist({ root: dir })).to.throw(DataError, 'must hold 2 uint8 labels, got uint8 [3]');
  });

  it('reads the real Debian dataset-fashion-mnist files', function () {
    if (!existsSync(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'))) {
      console.log(`      skipped: no Fashion-MNIST under ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`);
      this.skip();
    }
    const test = fashionMnist({ train: false });
    expect(test.length).to.equal(10000);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < test.length; i++) counts[test.get(i).label]!++;
    expect(counts).to.deep.equal(new Array(10).fill(1000));
    const first = test.get(0).input;
    expect([first.height, first.width, first.channels]).to.deep.equal([28, 28, 1]);
    expect(Math.max(...first.data)).to.be.greaterThan(200);
  });
});
