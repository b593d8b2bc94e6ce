import { ArgumentError, Generator, ShapeError, Tensor, formatShape } from '@tensorgrad/core';
import { checkDataset, show } from './check.js';
import { checkSeed } from './loader/seed.js';

/** Random access to a fixed number of items (PyTorch's map-style Dataset). */
export interface Dataset<T> {
  /** Number of items. */
  readonly length: number;
  /** Item `index` (0 ≤ index < length), as PyTorch's `__getitem__`. */
  get(index: number): T;
}

/** A labelled example: an input (image tensor, raw image, feature vector...) and a class index. */
export interface Sample<X = Tensor> {
  /** The input: an image tensor, a raw image, a feature vector... */
  readonly input: X;
  /** The class index. */
  readonly label: number;
}

export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ArgumentError(`${op}: index must be an integer in [0, ${length}), got ${index}`);
  }
}

/**
 * Samples held in memory: row i of `inputs` (a view, not a copy: transforms never write into
 * their input) with label i.
 */
export class TensorDataset implements Dataset<Sample<Tensor>> {
  /** Number of samples (the inputs' first dim). */
  readonly length: number;
  private readonly rowShape: number[];
  private readonly rowSize: number;
  /** Label i of sample i. */
  readonly labels: Int32Array;

  constructor(
    /** All inputs [N, ...]: sample i is row i. */
    readonly inputs: Tensor,
    labels: Tensor | ArrayLike<number>,
  ) {
    if (!(inputs instanceof Tensor)) throw new ArgumentError(`TensorDataset: inputs must be a Tensor [N, ...] (e.g. tensor(rows)), got ${show(inputs)}`);
    if (inputs.shape.length === 0) throw new ShapeError('TensorDataset: inputs must have a leading sample dimension, got a 0-d tensor');
    this.length = inputs.shape[0]!;
    this.rowShape = inputs.shape.slice(1);
    this.rowSize = this.rowShape.reduce((a, b) => a * b, 1);
    const values = labels instanceof Tensor ? labels.data : labels;
    if (labels instanceof Tensor && labels.shape.length !== 1) {
      throw new ShapeError(`TensorDataset: labels must be 1-d, got shape ${formatShape(labels.shape)}`);
    }
    if (values.length !== this.length) {
      throw new ShapeError(`TensorDataset: ${this.length} inputs (shape ${formatShape(inputs.shape)}) but ${values.length} labels`);
    }
    this.labels = Int32Array.from(values, (v, i) => {
      if (!Number.isInteger(v)) throw new ArgumentError(`TensorDataset: labels must be integers, got ${v} at index ${i}`);
      return v;
    });
  }

  /** Row `index` of the inputs (a view) with its label. */
  get(index: number): Sample<Tensor> {
    checkIndex('TensorDataset.get', index, this.length);
    const start = index * this.rowSize;
    return { input: new Tensor(this.inputs.data.subarray(start, start + this.rowSize), this.rowShape), label: this.labels[index]! };
  }
}

/** The items of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  /** The indices into `dataset`, in this subset's order. */
  readonly indices: Int32Array;

  constructor(
    /** The dataset the items come from. */
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    checkDataset('Subset', dataset);
    if (typeof indices !== 'object' || indices === null || !Number.isInteger(indices.length)) {
      throw new ArgumentError(`Subset: indices must be an array of dataset indices, got ${show(indices)}`);
    }
    this.indices = Int32Array.from(indices, (i) => {
      checkIndex('Subset', i, dataset.length);
      return i;
    });
  }

  /** Number of items: the number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** The dataset's item at indices[index]. */
  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}

/**
 * The items of `dataset` at `indices`, in that order: `new Subset(dataset, indices)`
 * (torch.utils.data.Subset).
 */
export function subset<T>(dataset: Dataset<T>, indices: ArrayLike<number>): Subset<T> {
  return new Subset(dataset, indices);
}

/**
 * Splits a dataset into non-overlapping random subsets (PyTorch's random_split). `lengths` are
 * counts summing to the dataset's length, or fractions summing to 1 (remainders go to the first
 * parts, one each). The same seed gives the same split.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], seed = 0): Subset<T>[] {
  checkDataset('randomSplit', dataset);
  checkSeed('randomSplit', seed);
  const n = dataset.length;
  const counts = splitCounts(lengths, n);
  const perm = new Generator(seed).permutation(n);
  const parts: Subset<T>[] = [];
  let offset = 0;
  for (const count of counts) {
    parts.push(new Subset(dataset, perm.subarray(offset, offset + count)));
    offset += count;
  }
  return parts;
}

function splitCounts(lengths: readonly number[], n: number): number[] {
  if (!Array.isArray(lengths)) throw new ArgumentError(`randomSplit: lengths must be an array of counts or fractions, got ${show(lengths)}`);
  if (lengths.length === 0 || lengths.some((l) => !(l >= 0) || !Number.isFinite(l))) {
    throw new ArgumentError(`randomSplit: lengths must be non-negative numbers, got [${lengths.join(', ')}]`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every(Number.isInteger) && total === n) return [...lengths];
  if (Math.abs(total - 1) > 1e-9 || lengths.some((l) => l > 1)) {
    throw new ArgumentError(`randomSplit: lengths must sum to the dataset length ${n} or be fractions summing to 1, got [${lengths.join(', ')}]`);
  }
  const counts = lengths.map((f) => Math.floor(f * n));
  let remainder = n - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i]!++;
  return counts;
}
