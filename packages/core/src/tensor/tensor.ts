import { ArgumentError, AutogradError, DTypeError, DeviceError, ShapeError, formatShape } from '../errors.js';
import { checkBoolean, checkOptions, optionKeys } from '../options.js';
import { type Device, type KernelArray, deviceOfArray, storageOf } from './device.js';
import { type DType, type TypedArray, checkInt32Values, dtypeOfArray, isFloatDType } from './dtype.js';
import { type PrintOptions, formatTensor, formatTensorExact } from './format.js';
import { type Shape, assertValidShape, sizeOf } from './shape.js';
import { settleStorage } from './storage.js';

/** Shared by a tensor and its views (reshape), so modifying one is seen through the other. */
export interface VersionCounter {
  value: number;
  /**
   * True once a second tensor shares the storage (a reshape or detach): an in-place op refuses to
   * record on it (op-table.ts), since the other tensor's graph would not see the write.
   */
  shared?: boolean;
}

/** The version counter of a new tensor over `t`'s storage (a view): marked shared. */
export function sharedVersion(t: Tensor): VersionCounter {
  t.version.shared = true;
  return t.version;
}

/** A number or nested arrays of numbers, as `tensor()` takes and `toArray()` returns. */
export type NestedArray = number | NestedArray[];

/** Options of `Tensor.backward` (PyTorch's create_graph and retain_graph). */
export interface BackwardOptions {
  /** Record the backward computation itself so the gradients can be differentiated again. */
  createGraph?: boolean;
  /**
   * Keep the values each op saved for its VJP so the graph can be walked again (PyTorch's
   * retain_graph). Default: createGraph. Without it, backward releases them as it goes, and a
   * second backward through the same graph throws an AutogradError.
   */
  retainGraph?: boolean;
}

const BACKWARD_OPTIONS = optionKeys<BackwardOptions>()(['createGraph', 'retainGraph']);

// Global symbols, so neither Node's util nor fast-check is imported (the main entry runs in browsers).
const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const FAST_CHECK_TO_STRING = Symbol.for('fast-check/toStringMethod');

/**
 * The op application that produced a tensor, as the tensor room sees it: autograd's Node
 * implements it (this room may not import autograd).
 */
export interface GraphNode {
  /** Increases in execution order: decreasing seq is a reverse topological order. */
  readonly seq: number;
  readonly op: { readonly name: string };
  /**
   * The op's attributes (its non-tensor arguments) as the op received them, e.g. conv2d's stride,
   * padding, dilation and groups: what a graph exporter reads. Kept after release; do not modify.
   */
  readonly attrs: unknown;
  /** Number of (flattened) inputs. */
  readonly arity: number;
  /** The inputs as recorded; null once backward released what the VJP needed. */
  readonly inputs: readonly (Tensor | null)[] | null;
  readonly output: Tensor | null;
  /** What forward saved for the VJP; undefined once released. */
  readonly saved: unknown;
  /** True once backward ran this node's VJP without retainGraph. */
  readonly released: boolean;
  /** Where the gradient of input i goes: the node that produced it, the leaf itself, or null. */
  edge(i: number): GraphNode | Tensor | null;
}

/** What Tensor.backward runs once its arguments are checked: autograd's reverse-mode walk. */
export type BackwardEngine = (root: Tensor, seed: Tensor | null, options: Required<BackwardOptions>) => void;

let engine: BackwardEngine | null = null;

/**
 * Called by autograd's defineOp (the module every op file imports), so the engine is present
 * wherever an op, hence a graph, can exist. The tensor room cannot import autograd itself.
 */
export function installBackwardEngine(run: BackwardEngine): void {
  engine = run;
}

/**
 * A dense, contiguous, row-major tensor. Garbage-collected like any JavaScript object:
 * there is nothing to dispose. The graph that produced it (if any) is reachable from
 * `node` and dies with the tensor. Its elements live on a device (`device`): the CPU (a typed
 * array, `data`) or a GPU ('webgpu', read back with `dataAsync()`); see `to()`.
 */
export class Tensor {
  /** Size of each dim (frozen; [] for a scalar), as PyTorch's `shape`. */
  readonly shape: readonly number[];
  /** Element type: 'float32', 'float64' or 'int32'. */
  readonly dtype: DType;
  private _storage: KernelArray | null;
  private readonly _size: number;
  /** Accumulated gradient (leaves that require grad, after backward). */
  grad: Tensor | null = null;
  /** The op application that produced this tensor (null for leaves). */
  node: GraphNode | null = null;
  private _requiresGrad = false;
  /**
   * Counts in-place modifications (shared by views of the same storage), so backward can refuse a
   * graph whose saved values were overwritten, as PyTorch's `_version`.
   */
  readonly version: VersionCounter;

  /**
   * `data`: the elements, a typed array (CPU) or a device array (a GPU backend's storage, from
   * `to()` or a kernel).
   */
  constructor(data: KernelArray, shape: Shape, version?: VersionCounter) {
    assertValidShape('Tensor', shape);
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    }
    this._storage = data;
    this._size = data.length;
    this.shape = Object.freeze([...shape]);
    this.dtype = ArrayBuffer.isView(data) ? dtypeOfArray(data) : data.dtype;
    this.version = version ?? { value: 0 };
  }

  /** Where the elements live: 'cpu' or 'webgpu'. */
  get device(): Device {
    return deviceOfArray(this._peekStorage());
  }

  /**
   * The elements, row-major, as a typed array (CPU tensors). A GPU tensor's elements cannot be
   * read synchronously: this throws a DeviceError naming `dataAsync()`.
   */
  get data(): TypedArray {
    const storage = this.storage;
    if (!ArrayBuffer.isView(storage)) {
      throw new DeviceError(
        `Tensor.data: this ${formatShape(this.shape)} tensor is on '${storage.device}', whose memory cannot be read synchronously; ` +
          'use `await t.dataAsync()` (or `await t.toAsync(\'cpu\')`)',
      );
    }
    return storage;
  }

  /**
   * The elements where they live (what kernels take): a typed array on the CPU, a device array
   * elsewhere. Where a background job still computes them (an asynchronous filter gradient), this
   * waits for it first.
   */
  get storage(): KernelArray {
    const storage = this._peekStorage();
    settleStorage(storage);
    return storage;
  }

  /**
   * Internal: the storage without waiting for a background job that still writes it (see
   * `storage`), for what only needs to know which array it is (its identity, its device), never
   * its elements.
   */
  _peekStorage(): KernelArray {
    const storage = this._storage;
    if (storage === null) {
      throw new AutogradError(
        `Tensor ${formatShape(this.shape)}: this intermediate gradient's storage was reused after backward consumed it. ` +
          'A VJP that keeps a tensor it returned (e.g. a cached constant) must return a clone() of it instead.',
      );
    }
    return storage;
  }

  /**
   * Internal (autograd's backward): the storage goes back to the pool, and any later access to
   * this tensor's data throws instead of reading reused memory.
   */
  _releaseStorage(): void {
    this._storage = null;
  }

  /**
   * Internal (nn's Module.to): gives this leaf new storage of the same length, possibly of another
   * dtype, keeping the tensor's identity, as PyTorch's `param.data = param.data.double()` does, so
   * optimizers and tied modules keep holding the module's parameters. Bumps the version: a graph
   * that saved the old values fails loudly in backward.
   */
  _replaceStorage(data: KernelArray): void {
    if (this.node !== null) throw new AutogradError('_replaceStorage: only a leaf tensor can get new storage');
    if (data.length !== this.size) {
      throw new ShapeError(`_replaceStorage: new storage has ${data.length} elements but shape ${formatShape(this.shape)} needs ${this.size}`);
    }
    const dtype = ArrayBuffer.isView(data) ? dtypeOfArray(data) : data.dtype;
    if (this._requiresGrad && !isFloatDType(dtype)) throw new DTypeError(`_replaceStorage: a tensor that requires grad must stay floating-point, got ${dtype}`);
    this._storage = data;
    // dtype is readonly to users; this is the one place it changes, with the storage.
    (this as { dtype: DType }).dtype = dtype;
    this.markModified();
  }

  /**
   * Whether operations on this tensor are recorded for backward. Only float tensors can require
   * grad; setting it false on a non-leaf throws (use `detach()`).
   */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  /** Turns recording on (float tensors only) or off (leaves only; use `detach()` for a non-leaf). */
  set requiresGrad(value: boolean) {
    if (value && !isFloatDType(this.dtype)) {
      throw new DTypeError(`requiresGrad: only floating-point tensors can require gradients, got ${this.dtype}`);
    }
    if (!value && this.node !== null) {
      throw new AutogradError('requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach()');
    }
    this._requiresGrad = value;
  }

  /** Sets requiresGrad and returns this (chainable, like PyTorch's requires_grad_). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** Number of elements (PyTorch's `numel()`). */
  get size(): number {
    return this._size;
  }

  /** Number of dims (rank). */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(`item: tensor must have exactly one element, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0]!;
  }

  /** Nested JavaScript arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset]!;
      const n = this.shape[dim]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** Same data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, sharedVersion(this));
  }

  /** An independent copy of the data (on the same device), cut from the graph. */
  clone(): Tensor {
    const storage = this.storage;
    if (ArrayBuffer.isView(storage)) return new Tensor(storage.slice() as TypedArray, this.shape);
    const kernels = storageOf(storage.device, 'clone');
    const copy = kernels.allocate(this.dtype, this.size, false, this.shape, 'clone');
    kernels.copy(storage, copy);
    return new Tensor(copy, this.shape);
  }

  /**
   * A copy of this tensor on `device` ('cpu' or 'webgpu'), or this tensor itself when it is
   * already there (as PyTorch's `.to`). Moving to a GPU is synchronous (the upload is queued);
   * moving a GPU tensor to the CPU needs a readback: use `await t.toAsync('cpu')`. The copy is a
   * leaf with this tensor's requiresGrad: gradients do not flow back across devices, so a tensor
   * inside a recorded graph must be detached first (move parameters with nn's `module.to`).
   */
  to(device: Device): Tensor {
    const from = this.device;
    const target = storageOf(device, 'to');
    if (device === from) return this;
    if (from !== 'cpu') {
      throw new DeviceError(`to: moving a '${from}' tensor to '${device}' reads GPU memory, which is asynchronous: use \`await t.toAsync('${device}')\``);
    }
    this.assertMovable('to', device);
    return this.moved(target.fromHost(this.data));
  }

  /** `to(device)` for any pair of devices, including reading a GPU tensor back to the CPU. */
  async toAsync(device: Device): Promise<Tensor> {
    const from = this.device;
    storageOf(device, 'toAsync');
    if (device === from) return this;
    if (device !== 'cpu' && from === 'cpu') return this.to(device);
    this.assertMovable('toAsync', device);
    const host = await storageOf(from, 'toAsync').toHostAsync(this.storage);
    return this.moved(device === 'cpu' ? host : storageOf(device, 'toAsync').fromHost(host));
  }

  /** The elements as a typed array, read back from the device if needed (a copy for GPU tensors). */
  async dataAsync(): Promise<TypedArray> {
    const storage = this.storage;
    if (ArrayBuffer.isView(storage)) return storage;
    return storageOf(storage.device, 'dataAsync').toHostAsync(storage);
  }

  /** `item()` for a tensor on any device. */
  async itemAsync(): Promise<number> {
    if (this.size !== 1) {
      throw new ShapeError(`itemAsync: tensor must have exactly one element, got shape ${formatShape(this.shape)}`);
    }
    return (await this.dataAsync())[0]!;
  }

  /** `toArray()` for a tensor on any device. */
  async toArrayAsync(): Promise<NestedArray> {
    return (await this.toAsync('cpu')).toArray();
  }

  private assertMovable(op: string, device: Device): void {
    if (this.node !== null && this.requiresGrad) {
      throw new AutogradError(
        `${op}: this tensor is part of a recorded graph and gradients do not flow across devices; ` +
          `call detach() first, or move the leaves (e.g. a model's parameters with module.to('${device}')) before computing`,
      );
    }
  }

  private moved(storage: KernelArray): Tensor {
    const out = new Tensor(storage, this.shape);
    if (this.requiresGrad) out.requiresGrad = true;
    return out;
  }

  /**
   * Call after writing into `data` directly: bumps the version counter so a backward that
   * saved this tensor before the write fails loudly instead of using the new values.
   */
  markModified(): this {
    this.version.value++;
    return this;
  }

  /** Copies src's values into this tensor in place (same shape; values cast to this dtype). */
  copy_(src: Tensor): this {
    if (src.size !== this.size) {
      throw new ShapeError(`copy_: source shape ${formatShape(src.shape)} does not match destination ${formatShape(this.shape)}`);
    }
    if (this.node !== null && this.requiresGrad) {
      throw new AutogradError('copy_: cannot modify a non-leaf tensor that is part of a graph in place');
    }
    const dst = this.storage;
    if (ArrayBuffer.isView(dst) && src.device === 'cpu') {
      if (this.dtype === 'int32' && src.dtype !== 'int32') checkInt32Values('copy_', 'src', src.data);
      dst.set(src.data);
    } else if (src.device === 'cpu') {
      // Host values into device memory (a GPU parameter loaded from a CPU checkpoint).
      if (this.dtype === 'int32' && src.dtype !== 'int32') checkInt32Values('copy_', 'src', src.data);
      storageOf(this.device, 'copy_').write(dst, src.data);
    } else if (src.device === this.device && src.dtype === this.dtype) {
      storageOf(this.device, 'copy_').copy(src.storage, dst);
    } else {
      throw new DeviceError(
        `copy_: cannot copy a ${src.dtype} '${src.device}' tensor into a ${this.dtype} '${this.device}' tensor synchronously; ` +
          `use \`dst.copy_(await src.toAsync('${this.device}'))\` (and cast first for another dtype)`,
      );
    }
    return this.markModified();
  }

  /**
   * Backpropagates from this tensor: sums d(this)/d(leaf) · seed into `.grad` of every leaf
   * that requires grad. The seed defaults to 1 for a one-element tensor. Releases what the graph
   * saved for its VJPs unless `retainGraph` (or `createGraph`) is set.
   */
  backward(seed?: Tensor, options: BackwardOptions = {}): void {
    checkOptions('backward', options, BACKWARD_OPTIONS);
    checkBoolean('backward', 'createGraph', options.createGraph);
    checkBoolean('backward', 'retainGraph', options.retainGraph);
    const createGraph = options.createGraph ?? false;
    const retainGraph = options.retainGraph ?? createGraph;
    if (!this.requiresGrad) {
      throw new AutogradError('backward: tensor does not require grad (no input of the computation had requiresGrad set)');
    }
    if (seed === undefined && this.size !== 1) {
      throw new ShapeError(`backward: a seed gradient is needed for a non-scalar output of shape ${formatShape(this.shape)}`);
    }
    if (seed !== undefined && !(seed instanceof Tensor)) throw new ArgumentError('backward: seed must be a Tensor');
    if (engine === null) {
      // Only reachable in a bundle that contains no op at all (defineOp installs the engine).
      throw new AutogradError(
        'backward: the autograd engine is not loaded: it is installed when the first op is defined, and no op module has been loaded. ' +
          "Import the ops you differentiate from '@tensorgrad/core' before calling backward.",
      );
    }
    engine(this, seed ?? null, { createGraph, retainGraph });
  }

  /**
   * The values as PyTorch prints them (`tensor([[1.0000, 2.5000], ...], dtype=float64, requiresGrad=true)`),
   * summarised past 1000 elements; see setPrintOptions. `options` override the print options for this call.
   */
  toString(options?: PrintOptions): string {
    return formatTensor({ shape: this.shape, dtype: this.dtype, requiresGrad: this.requiresGrad, values: this.hostValues(), device: this.device0(), gradFn: this.node?.op.name ?? null }, options);
  }

  /** console.log and util.inspect in Node print toString(). */
  [INSPECT](): string {
    return this.toString();
  }

  /** fast-check prints a counterexample's values exactly, so it can be rebuilt. */
  [FAST_CHECK_TO_STRING](): string {
    return formatTensorExact(this.shape, this.dtype, this.hostValues(), this.requiresGrad);
  }

  /** The CPU values, or null (released, or on a GPU: printing never reads device memory). */
  private hostValues(): TypedArray | null {
    const storage = this._storage;
    return storage !== null && ArrayBuffer.isView(storage) ? storage : null;
  }

  /** The device, also for a released tensor (null when that cannot be told). */
  private device0(): Device | null {
    return this._storage === null ? null : deviceOfArray(this._storage);
  }
}
