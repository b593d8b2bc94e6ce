// Storage reuse during one backward walk (engine.ts): which gradient buffers the walk allocated
// itself, which are still held by a gradient slot, and when a consumed one can go back to the
// storage pool (tensor/storage.ts).
import { storageOf } from '../tensor/device.js';
import { isPoolable, recordAllocations, recycle } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';

/** What identifies a gradient's storage: a CPU array's buffer, or a device array itself. */
type StorageKey = object;

/**
 * Gives the storage of consumed gradients back to the pool. A buffer is reused only if this
 * walk allocated it (so no user tensor and no forward value can share it) and no gradient slot
 * still holds it; gradients are counted per buffer because VJPs may return the same tensor for
 * several inputs (add) or views of dy (reshape). The tensor objects that carried it are
 * released, so a VJP that kept one it returned fails loudly instead of reading reused memory.
 */
export class GradientRecycler {
  /** Buffers handed out while `recording`: only these can be the walk's to reuse. */
  private readonly allocated = new Set<StorageKey>();
  private readonly held = new Map<StorageKey, number>();
  /** Every gradient tensor seen on each buffer this walk allocated. */
  private readonly carriers = new Map<StorageKey, Tensor[]>();
  private readonly pending = new Set<StorageKey>();

  /** Runs the walk, noting every array storage hands out meanwhile as this walk's own. */
  recording<T>(walk: () => T): T {
    const outer = recordAllocations(this.allocated);
    try {
      return walk();
    } finally {
      recordAllocations(outer);
    }
  }

  /** A gradient slot now holds t: its buffer is not reused while held. */
  hold(t: Tensor): void {
    const buffer = this.track(t);
    this.held.set(buffer, (this.held.get(buffer) ?? 0) + 1);
  }

  /** A slot let go of t: its buffer is reused at the next flush unless still held. */
  unhold(t: Tensor): void {
    const buffer = this.track(t);
    const n = this.held.get(buffer)! - 1;
    if (n > 0) this.held.set(buffer, n);
    else this.held.delete(buffer);
    this.pending.add(buffer);
  }

  /**
   * Whether t's storage is this walk's own and held by one gradient slot only (t's): then the VJP
   * that consumes t is its last reader and may write over it (gradient-reuse.ts).
   */
  isExclusive(t: Tensor): boolean {
    const buffer = keyOf(t);
    return ArrayBuffer.isView(t._peekStorage()) && this.allocated.has(buffer) && this.held.get(buffer) === 1;
  }

  /** Marks a gradient as possibly dead: flush reuses it unless a slot holds its buffer. */
  consider(t: Tensor): void {
    this.pending.add(this.track(t));
  }

  /** Gives back to storage every pending buffer that no slot holds, and releases its tensors. */
  flush(): void {
    for (const buffer of this.pending) {
      const tensors = this.carriers.get(buffer);
      if (tensors === undefined || this.held.has(buffer)) continue;
      if (!giveBack(tensors)) continue;
      for (const t of tensors) t._releaseStorage();
      this.allocated.delete(buffer);
      this.carriers.delete(buffer);
    }
    this.pending.clear();
  }

  private track(t: Tensor): StorageKey {
    const buffer = keyOf(t);
    if (this.allocated.has(buffer)) {
      const tensors = this.carriers.get(buffer);
      if (tensors === undefined) this.carriers.set(buffer, [t]);
      else if (!tensors.includes(t)) tensors.push(t);
    }
    return buffer;
  }
}

/** The key of t's storage (StorageKey): its identity only, so a gradient still being computed in the background is not waited for. */
function keyOf(t: Tensor): StorageKey {
  const storage = t._peekStorage();
  return ArrayBuffer.isView(storage) ? storage.buffer : storage;
}

/** Returns the storage the tensors share to its device's pool; false when it cannot be reused. */
function giveBack(tensors: readonly Tensor[]): boolean {
  const first = tensors[0]!;
  const storage = first.storage;
  if (!ArrayBuffer.isView(storage)) {
    storageOf(storage.device, 'backward').release(storage);
    return true;
  }
  const owner = tensors.find((t) => isPoolable(t.data));
  if (owner === undefined) return false;
  recycle(owner.data, owner.dtype);
  return true;
}
