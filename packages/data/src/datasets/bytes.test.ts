// The browser-safe dataset functions of the main entry (bytes and URLs, asynchronous gunzip),
// run here in Node, whose fetch, DecompressionStream and MessageChannel are the web APIs.
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pngjs from 'pngjs';
import { ArgumentError } from '@tensorgrad/core';
import { expect } from 'chai';
import { DataError } from '../errors.js';
import { decodeImageAsync } from './decode.js';
import { decodeImage, decodeImageAsync as decodeImageAsyncNode } from './decode-node.js';
import { gunzip } from './gzip.js';
import { encodeIdx as encodeIdxNode, parseIdx as parseIdxNode } from './idx-node.js';
import { encodeIdx, parseIdx, parseIdxAsync } from './idx.js';
import { fashionMnistFromBytes, fashionMnistFromUrl, mnistFromBytes } from './mnist.js';
import { FASHION_MNIST_DIR, fashionMnist } from './mnist-node.js';

const rejects = async (promise: Promise<unknown>, type: new (...args: never[]) => Error, message: RegExp): Promise<void> => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, String(message)).to.be.instanceOf(type);
  expect((error as Error).message).to.match(message);
};

const images = { type: 'uint8', shape: [3, 4, 5], data: Uint8Array.from({ length: 60 }, (_, i) => 4 * i) } as const;
const labels = { type: 'uint8', shape: [3], data: Uint8Array.of(9, 0, 4) } as const;

describe('IDX from bytes, asynchronously gunzipped (parseIdxAsync, gunzip)', () => {
  it('parses gzipped and plain bytes alike, equal to the Node path', async () => {
    const floats = { type: 'float32', shape: [2, 3], data: Float32Array.of(1.5, -2, 0, 1e-30, 7, -0) } as const;
    for (const array of [images, floats]) {
      const gz = encodeIdxNode(array, { gzip: true });
      expect(gz[0]).to.equal(0x1f);
      const plain = encodeIdx(array);
      for (const bytes of [gz, plain]) {
        const parsed = await parseIdxAsync(bytes);
        expect(parsed).to.deep.equal(parseIdxNode(bytes));
        expect(Array.from(parsed.data)).to.deep.equal(Array.from(array.data));
      }
      expect(parseIdx(plain)).to.deep.equal(parseIdxNode(plain));
    }
  });

  it('gunzips exactly as zlib does, and names corrupt or truncated input', async () => {
    const raw = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251);
    expect(Buffer.from(await gunzip(gzipSync(raw))).equals(Buffer.from(raw))).to.equal(true);
    expect(await gunzip(raw)).to.equal(raw); // not gzip: returned as it is
    const gz = encodeIdxNode(images, { gzip: true });
    await rejects(parseIdxAsync(gz.subarray(0, gz.length - 9), 'x.gz'), DataError, /gunzip: x\.gz is a corrupt or truncated gzip file/);
    const bad = Uint8Array.from(gz);
    bad[12] = bad[12]! ^ 0xff;
    await rejects(gunzip(bad, 'bad.gz'), DataError, /gunzip: bad\.gz is a corrupt or truncated gzip file/);
    await rejects(gunzip([1, 2] as unknown as Uint8Array), ArgumentError, /gunzip: bytes must be a Uint8Array/);
  });

  it("the main entry's sync functions point to the async ones for gzip instead of failing obscurely", () => {
    expect(() => parseIdx(encodeIdxNode(images, { gzip: true }), 'f.gz')).to.throw(DataError, /parseIdx: f\.gz is gzipped.*parseIdxAsync/);
    expect(() => encodeIdx(images, { gzip: true })).to.throw(ArgumentError, /encodeIdx: gzip: true .*node entry/);
  });
});

describe('MNIST-format datasets from bytes and URLs', () => {
  let server: Server;
  let base: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tg-fmnist-url-'));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), encodeIdxNode(images, { gzip: true }));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), encodeIdxNode(labels, { gzip: true }));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdx(images));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx(labels));
    server = createServer((req, res) => {
      const name = req.url!.replace(/^\/data\//, '');
      if (!/^[\w.-]+$/.test(name) || !existsSync(join(dir, name))) res.writeHead(404, 'Not Found').end();
      else res.writeHead(200).end(readFileSync(join(dir, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/data`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fashionMnistFromUrl fetches the split it is asked for, gzipped or not, as fashionMnist reads it from a directory', async () => {
    const fromDir = fashionMnist({ root: dir, train: false });
    for (const gzipped of [true, false]) {
      const ds = await fashionMnistFromUrl(`${base}/`, { train: false, gzipped });
      expect(ds.length).to.equal(3);
      expect(ds.classes).to.deep.equal(fromDir.classes);
      for (let i = 0; i < 3; i++) expect(ds.get(i)).to.deep.equal(fromDir.get(i));
    }
    // A base without its trailing slash still names the directory.
    expect((await fashionMnistFromUrl(base, { train: false })).get(2).label).to.equal(4);
    await rejects(fashionMnistFromUrl(base), DataError, /fashionMnistFromUrl: fetching http:.*\/data\/train-images-idx3-ubyte\.gz answered 404 Not Found/);
    await rejects(fashionMnistFromUrl('data/', { train: false }), ArgumentError, /fashionMnistFromUrl: base "data\/" is not an absolute URL/);
    await rejects(fashionMnistFromUrl(base, { split: 'test' } as never), ArgumentError, /fashionMnistFromUrl.*split/);
    await rejects(fashionMnistFromUrl(base, { train: 'false' as never }), ArgumentError, /fashionMnistFromUrl: train must be true or false/);
  });

  it('fashionMnistFromBytes and mnistFromBytes read the files\' bytes (Uint8Array or ArrayBuffer) and check them', async () => {
    const gzImages = encodeIdxNode(images, { gzip: true });
    const ds = await fashionMnistFromBytes({ images: gzImages, labels: new Uint8Array(encodeIdx(labels)).buffer });
    expect(ds.get(2).label).to.equal(4);
    expect(Array.from(ds.get(2).input.data)).to.deep.equal(Array.from(images.data.subarray(40, 60)));
    expect((await mnistFromBytes({ images: gzImages, labels: encodeIdx(labels) })).classes[9]).to.equal('9');
    const fewer = encodeIdx({ type: 'uint8', shape: [2], data: Uint8Array.of(0, 1) });
    await rejects(fashionMnistFromBytes({ images: gzImages, labels: fewer }), DataError, /fashionMnistFromBytes: fashionMnistFromBytes labels must hold 3 uint8 labels, got uint8 \[2\]/);
    const ten = encodeIdx({ type: 'uint8', shape: [3], data: Uint8Array.of(0, 10, 1) });
    await rejects(fashionMnistFromBytes({ images: gzImages, labels: ten }), DataError, /has label 10 at index 1, expected 0\.\.9/);
    await rejects(fashionMnistFromBytes({ images: gzImages, labels: 'x' as never }), ArgumentError, /fashionMnistFromBytes: labels must be a Uint8Array or an ArrayBuffer/);
    await rejects(fashionMnistFromBytes({ images: gzImages, labels: fewer, train: true } as never), ArgumentError, /fashionMnistFromBytes.*train/);
  });

  it('the real Fashion-MNIST test files give the same dataset from bytes as from the directory', async function () {
    if (!existsSync(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'))) this.skip();
    const read = (name: string): Uint8Array => readFileSync(join(FASHION_MNIST_DIR, name));
    const ds = await fashionMnistFromBytes({ images: read('t10k-images-idx3-ubyte.gz'), labels: read('t10k-labels-idx1-ubyte.gz') });
    const ref = fashionMnist({ train: false });
    expect(ds.length).to.equal(10000);
    for (const i of [0, 1, 4321, 9999]) expect(ds.get(i)).to.deep.equal(ref.get(i));
    expect(Buffer.from(await gunzip(read('t10k-labels-idx1-ubyte.gz'))).equals(gunzipSync(read('t10k-labels-idx1-ubyte.gz')))).to.equal(true);
  });
});

describe('decodeImageAsync', () => {
  it('in Node, the node entry decodes with pngjs (as decodeImage); the browser version says what the platform lacks', async () => {
    const image = new pngjs.PNG({ width: 3, height: 2 });
    image.data.set(Uint8Array.from({ length: 24 }, (_, i) => (i % 4 === 3 ? 255 : 10 * i)));
    const png = pngjs.PNG.sync.write(image);
    for (const channels of [1, 3] as const) expect(await decodeImageAsyncNode(png, channels)).to.deep.equal(decodeImage(png, channels));
    await rejects(decodeImageAsyncNode(png.subarray(0, 30), 3, 'cut.png'), DataError, /decodeImageAsync: cut\.png is a corrupt or truncated PNG/);
    await rejects(decodeImageAsync(png), DataError, /decodeImageAsync: this platform has no createImageBitmap and OffscreenCanvas/);
    await rejects(decodeImageAsync(Uint8Array.of(1, 2, 3, 4), 3, 'x.bin'), DataError, /decodeImageAsync: x\.bin is neither PNG .* nor JPEG .*: it starts with 01 02 03 04/);
  });
});
