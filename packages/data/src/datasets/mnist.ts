// MNIST-format datasets (MNIST, Fashion-MNIST) from bytes or from URLs: runs in browsers.
// mnist-node.ts reads the same files from a directory for the node entry.
import { ArgumentError, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkBoolean, show } from '../check.js';
import { DataError } from '../errors.js';
import { ImageArrayDataset } from './image-array.js';
import { type IdxArray, parseIdxAsync } from './idx.js';

/** Fashion-MNIST's ten class names, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

export const MNIST_CLASSES: readonly string[] = Array.from({ length: 10 }, (_, i) => String(i));

/** The bytes of an images file and its labels file (IDX, gzipped or not). */
export interface MnistBytes {
  /** The images file (`*-images-idx3-ubyte`, gzipped or not). */
  images: Uint8Array | ArrayBuffer;
  /** The labels file (`*-labels-idx1-ubyte`, gzipped or not). */
  labels: Uint8Array | ArrayBuffer;
}
const MNIST_BYTES = optionKeys<MnistBytes>()(['images', 'labels']);

/** Fashion-MNIST from the bytes of its IDX files (e.g. fetched or picked by the user). */
export function fashionMnistFromBytes(bytes: MnistBytes): Promise<ImageArrayDataset> {
  return fromBytes('fashionMnistFromBytes', bytes, FASHION_MNIST_CLASSES);
}

/** MNIST digits from the bytes of its IDX files. */
export function mnistFromBytes(bytes: MnistBytes): Promise<ImageArrayDataset> {
  return fromBytes('mnistFromBytes', bytes, MNIST_CLASSES);
}

/** Options of `fashionMnistFromUrl` / `mnistFromUrl`. */
export interface MnistUrlOptions {
  /** The 60000 training images (true, the default) or the 10000 test images. */
  train?: boolean;
  /** Fetch the `.gz` files (true, the default, as distributed) or uncompressed ones. */
  gzipped?: boolean;
  /** Passed to fetch (headers, credentials, an AbortSignal...). */
  init?: RequestInit;
}
const MNIST_URL_OPTIONS = optionKeys<MnistUrlOptions>()(['train', 'gzipped', 'init']);

/**
 * Fashion-MNIST fetched from the directory URL `base` holding the files as distributed:
 * `train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz` (or `t10k-...` with
 * `{ train: false }`). A relative base resolves against the page's (or worker's) location.
 */
export function fashionMnistFromUrl(base: string | URL, options: MnistUrlOptions = {}): Promise<ImageArrayDataset> {
  return fromUrl('fashionMnistFromUrl', base, options, FASHION_MNIST_CLASSES);
}

/** MNIST digits fetched from a directory URL, as fashionMnistFromUrl. */
export function mnistFromUrl(base: string | URL, options: MnistUrlOptions = {}): Promise<ImageArrayDataset> {
  return fromUrl('mnistFromUrl', base, options, MNIST_CLASSES);
}

/** The file names of one split, without the `.gz`. */
export function mnistFileNames(train: boolean): [images: string, labels: string] {
  const prefix = train ? 'train' : 't10k';
  return [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
}

async function fromBytes(fn: string, bytes: MnistBytes, classes: readonly string[]): Promise<ImageArrayDataset> {
  if (bytes === undefined) throw new ArgumentError(`${fn}: expected { images, labels } (bytes of the IDX files), got undefined`);
  checkOptions(fn, bytes, MNIST_BYTES, 'bytes');
  const [images, labels] = await Promise.all((['images', 'labels'] as const).map((k) => parseIdxAsync(toBytes(fn, k, bytes[k]), `${fn} ${k}`)));
  return mnistDataset(fn, images!, labels!, classes, `${fn} images`, `${fn} labels`);
}

async function fromUrl(fn: string, base: string | URL, options: MnistUrlOptions, classes: readonly string[]): Promise<ImageArrayDataset> {
  checkOptions(fn, options, MNIST_URL_OPTIONS);
  const { train = true, gzipped = true, init } = options;
  checkBoolean(fn, 'train', train);
  checkBoolean(fn, 'gzipped', gzipped);
  const dir = directoryUrl(fn, base);
  const urls = mnistFileNames(train).map((name) => new URL(gzipped ? `${name}.gz` : name, dir).href);
  const [images, labels] = await Promise.all(urls.map(async (url) => parseIdxAsync(await fetchBytes(fn, url, init), url)));
  return mnistDataset(fn, images!, labels!, classes, urls[0]!, urls[1]!);
}

/** base as an absolute URL ending in '/', so file names resolve inside it, not beside it. */
function directoryUrl(fn: string, base: string | URL): URL {
  if (typeof base !== 'string' && !(base instanceof URL)) throw new ArgumentError(`${fn}: base must be a URL string or a URL, got ${show(base)}`);
  const here = (globalThis as { location?: { href: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(base, here);
  } catch {
    throw new ArgumentError(`${fn}: base ${show(String(base))} is not an absolute URL${here === undefined ? ' (there is no page location to resolve a relative one against)' : ''}`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export async function fetchBytes(fn: string, url: string, init: RequestInit | undefined): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new DataError(`${fn}: cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new DataError(`${fn}: fetching ${url} answered ${response.status} ${response.statusText}`.trimEnd());
  return new Uint8Array(await response.arrayBuffer());
}

function toBytes(fn: string, name: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new ArgumentError(`${fn}: ${name} must be a Uint8Array or an ArrayBuffer of an IDX file, got ${show(value)}`);
}

/** The images [N,H,W] and labels [N] of an MNIST-format pair, checked, as a dataset. */
export function mnistDataset(fn: string, images: IdxArray, labels: IdxArray, classes: readonly string[], imageSource: string, labelSource: string): ImageArrayDataset {
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new DataError(`${fn}: ${imageSource} must hold a uint8 array [N,H,W], got ${images.type} [${images.shape.join(',')}]`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new DataError(`${fn}: ${labelSource} must hold ${images.shape[0]} uint8 labels, got ${labels.type} [${labels.shape.join(',')}]`);
  }
  const labelData = labels.data as Uint8Array;
  const bad = labelData.findIndex((l) => l >= classes.length);
  if (bad >= 0) throw new DataError(`${fn}: ${labelSource} has label ${labelData[bad]} at index ${bad}, expected 0..${classes.length - 1}`);
  const [, h, w] = images.shape as [number, number, number];
  return new ImageArrayDataset(images.data as Uint8Array, labelData, h, w, 1, classes);
}
