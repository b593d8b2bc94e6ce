import { TensorError } from '@tensorgrad/core';

/**
 * A state dict (or checkpoint) that does not fit a module or optimizer: lists every missing,
 * unexpected, mis-shaped and mis-typed entry at once, as PyTorch's load_state_dict does.
 */
export class StateDictError extends TensorError {
  constructor(
    /** The function that refused the state dict (`Net.loadStateDict`). */
    readonly where: string,
    /** Every problem found, one line each. */
    readonly problems: readonly string[],
  ) {
    super(`${where}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

/** A checkpoint file that cannot be read: truncated, corrupted, or not safetensors. */
export class CheckpointError extends TensorError {}
