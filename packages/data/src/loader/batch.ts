import type { Tensor } from '@tensorgrad/core';

/**
 * One batch: collated inputs and labels, the dataset indices they came from, and where the batch
 * sits in its epoch.
 */
export interface Batch {
  /** [N, ...sample shape] float32: NCHW for images. */
  readonly inputs: Tensor;
  /** [N] int32 class indices. */
  readonly labels: Tensor;
  /** The dataset index of each row. */
  readonly indices: Int32Array;
  /** The epoch this batch belongs to. */
  readonly epoch: number;
  /** Position of this batch in its epoch. */
  readonly index: number;
  /**
   * Hands the inputs' buffer back to the loader for a later batch. Optional; call it only when
   * nothing will read this batch again. Unreleased batches are never overwritten. A batch from
   * prefetch workers goes back (transferred) to the worker that built it, and this batch's
   * arrays are left empty.
   */
  release(): void;
}
