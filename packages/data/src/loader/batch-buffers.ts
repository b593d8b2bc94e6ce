/**
 * Batch buffers handed back by Batch.release(), kept for the next batches of the same size:
 * touching fresh memory is slow, and batches of large images are megabytes each. The rules are
 * core's storage rules (tensor/storage.ts): a buffer is reused only after its owner released it
 * (a batch the consumer keeps is never overwritten), only whole buffers are kept (not views into
 * a larger one), and what is kept is bounded (here: a few buffers per size).
 */
export class BatchBuffers {
  private readonly free = new Map<number, Float32Array[]>();

  constructor(private readonly maxPerSize = 4) {}

  take(length: number): Float32Array {
    return this.free.get(length)?.pop() ?? new Float32Array(length);
  }

  giveBack(buffer: Float32Array): void {
    if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) return;
    const list = this.free.get(buffer.length) ?? [];
    if (list.length < this.maxPerSize && !list.includes(buffer)) list.push(buffer);
    this.free.set(buffer.length, list);
  }
}
