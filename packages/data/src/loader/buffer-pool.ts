/**
 * Batch buffers handed back by Batch.release(), kept for the next batches of the same size:
 * touching fresh memory is slow, and batches of large images are megabytes each. A buffer is
 * only reused after its owner released it, so a batch the consumer keeps is never overwritten.
 */
export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();

  constructor(private readonly maxPerSize = 4) {}

  acquire(length: number): Float32Array {
    return this.free.get(length)?.pop() ?? new Float32Array(length);
  }

  release(buffer: Float32Array): void {
    const list = this.free.get(buffer.length) ?? [];
    if (list.length < this.maxPerSize && !list.includes(buffer)) list.push(buffer);
    this.free.set(buffer.length, list);
  }
}
