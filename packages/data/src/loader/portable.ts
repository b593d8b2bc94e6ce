// A loader's dataset and transform as plain data that can be posted to a worker, and their
// reconstruction there. Datasets: the in-memory kinds (ImageArrayDataset: fashionMnist, mnist,
// cifar10...; TensorDataset; Subset of either) post their arrays. Transforms: every factory of
// this package records its name and arguments (transforms/recipe.ts); the worker calls the same
// factory with the same arguments, which makes the same function, so a sample's pixels do not
// depend on the thread that made them. Anything else (a user's function or dataset class) cannot
// be rebuilt, and describing it throws an error naming it.
import { ArgumentError, Tensor, type TypedArray } from '@tensorgrad/core';
import { Subset, TensorDataset } from '../dataset.js';
import { ImageArrayDataset } from '../datasets/image-array.js';
import { affine, randomAffine, randomRotation, randomTranslate } from '../transforms/affine.js';
import { gaussianBlur } from '../transforms/blur.js';
import { colorJitter } from '../transforms/color.js';
import { centerCrop, fiveCrop, pad, randomCrop, tenCrop } from '../transforms/crop.js';
import { randomErasing } from '../transforms/erasing.js';
import { randomHorizontalFlip, randomVerticalFlip } from '../transforms/flip.js';
import { grayscale, randomGrayscale } from '../transforms/grayscale.js';
import { denormalize, normalize } from '../transforms/normalize.js';
import { pcaLighting } from '../transforms/pca-lighting.js';
import { recipeOf } from '../transforms/recipe.js';
import { randomResizedCrop, resize } from '../transforms/resize.js';
import { toTensor } from '../transforms/to-tensor.js';
import { compose, type Transform } from '../transforms/transform.js';

/** Every transform factory, by the name its transforms record (madeBy). */
export const TRANSFORM_FACTORIES: Readonly<Record<string, (...args: any[]) => Transform<any, any>>> = {
  affine, randomAffine, randomRotation, randomTranslate, gaussianBlur, colorJitter, centerCrop, fiveCrop, pad, randomCrop, tenCrop,
  randomErasing, randomHorizontalFlip, randomVerticalFlip, grayscale, randomGrayscale, denormalize, normalize, pcaLighting,
  randomResizedCrop, resize, toTensor, compose,
};

/** A dataset as posted to a worker. */
export type PortableDataset =
  | { kind: 'images'; pixels: Uint8Array; labels: Uint8Array | Int32Array; height: number; width: number; channels: number; classes: readonly string[] }
  | { kind: 'tensors'; inputs: TypedArray; shape: readonly number[]; labels: Int32Array }
  | { kind: 'subset'; dataset: PortableDataset; indices: Int32Array };

/** A transform as posted to a worker: its factory and arguments, transforms among them described alike. */
export interface PortableTransform {
  factory: string;
  args: PortableArgument[];
}
export type PortableArgument = { transform: PortableTransform } | { value: unknown };

/** What cannot be rebuilt, one line each (empty when everything can). */
type Problems = string[];

/** The dataset as plain data; throws naming what cannot be posted. */
export function describeDataset(fn: string, dataset: unknown): PortableDataset {
  const problems: Problems = [];
  const portable = datasetOf(dataset, 'the dataset', problems);
  if (problems.length > 0) throw notPortable(fn, problems);
  return portable!;
}

function datasetOf(dataset: unknown, where: string, problems: Problems): PortableDataset | undefined {
  if (dataset instanceof ImageArrayDataset) {
    const { pixels, labels, height, width, channels, classes } = dataset;
    return { kind: 'images', pixels, labels, height, width, channels, classes };
  }
  if (dataset instanceof TensorDataset) {
    const { inputs } = dataset;
    if (inputs.device !== 'cpu') {
      problems.push(`${where} is a TensorDataset on ${inputs.device}: move its inputs to the CPU`);
      return undefined;
    }
    return { kind: 'tensors', inputs: inputs.data, shape: inputs.shape, labels: dataset.labels };
  }
  if (dataset instanceof Subset) {
    const inner = datasetOf(dataset.dataset, `${where} (a Subset) over ${nameOf(dataset.dataset)}`, problems);
    return inner === undefined ? undefined : { kind: 'subset', dataset: inner, indices: dataset.indices };
  }
  problems.push(`${where} is ${nameOf(dataset)}: only ImageArrayDataset (fashionMnist, mnist, cifar10, parseCifar10...), TensorDataset and Subset of these can be posted to a worker`);
  return undefined;
}

/** The transform as plain data; throws naming every part that is not from a factory of this package. */
export function describeTransform(fn: string, transform: Transform<any, any>): PortableTransform {
  const problems: Problems = [];
  const portable = transformOf(transform, 'the transform', problems);
  if (problems.length > 0) throw notPortable(fn, problems);
  return portable!;
}

function transformOf(transform: unknown, where: string, problems: Problems): PortableTransform | undefined {
  const recipe = recipeOf(transform);
  if (recipe === undefined) {
    problems.push(`${where} (${nameOf(transform)}) was not made by a transform factory of @tensorgrad/data`);
    return undefined;
  }
  const args = recipe.args.map((arg, i): PortableArgument => {
    const at = `${recipe.factory} argument ${i + 1}`;
    if (typeof arg === 'function') return { transform: transformOf(arg, `${where} > ${at}`, problems)! };
    checkPlain(arg, `${where} > ${at}`, problems);
    return { value: arg };
  });
  return { factory: recipe.factory, args };
}

/** Values a worker receives unchanged: primitives, arrays, plain objects, typed arrays. */
function checkPlain(value: unknown, where: string, problems: Problems): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') problems.push(`${where} is a ${typeof value}, which cannot be posted to a worker`);
    return;
  }
  if (ArrayBuffer.isView(value)) return;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    problems.push(`${where} is ${nameOf(value)}, which a worker would receive without its class`);
    return;
  }
  for (const [key, v] of Object.entries(value)) checkPlain(v, `${where}.${key}`, problems);
}

function notPortable(fn: string, problems: Problems): ArgumentError {
  return new ArgumentError(`${fn}: cannot rebuild the pipeline in a worker: ${problems.join('; ')}`);
}

function nameOf(x: unknown): string {
  if (typeof x === 'function') return x.name === '' ? 'an anonymous function' : `function ${x.name}`;
  if (x instanceof Tensor) return 'a Tensor';
  if (typeof x === 'object' && x !== null) return `a ${(x as object).constructor?.name ?? 'object'}`;
  return String(x);
}

/** The worker's copy of a described dataset. */
export function rebuildDataset(d: PortableDataset): ImageArrayDataset | TensorDataset | Subset<unknown> {
  switch (d.kind) {
    case 'images':
      return new ImageArrayDataset(d.pixels, d.labels, d.height, d.width, d.channels, d.classes);
    case 'tensors':
      return new TensorDataset(new Tensor(d.inputs, d.shape as number[]), d.labels);
    case 'subset':
      return new Subset(rebuildDataset(d.dataset), d.indices);
  }
}

/** The worker's copy of a described transform: the same factories called with the same arguments. */
export function rebuildTransform(t: PortableTransform): Transform<any, any> {
  const factory = TRANSFORM_FACTORIES[t.factory];
  if (factory === undefined) throw new ArgumentError(`prefetch worker: no transform factory named ${t.factory}`);
  return factory(...t.args.map((a) => ('transform' in a ? rebuildTransform(a.transform) : a.value)));
}
