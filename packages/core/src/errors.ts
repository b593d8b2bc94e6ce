// Every error tensorgrad throws names the op, the argument, and what was expected vs received.

/**
 * Base class of every error tensorgrad throws; the message names the op, the argument, and what
 * was expected vs received. `name` is the subclass's name.
 */
export class TensorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together (rank, sizes, broadcasting). */
export class ShapeError extends TensorError {}

/** A dtype an op cannot take, or two dtypes that cannot be mixed. */
export class DTypeError extends TensorError {}

/** An argument of the wrong type or out of range (non-shape, non-dtype). */
export class ArgumentError extends TensorError {}

/** Backward through a graph that can no longer be differentiated (modified saved tensor...). */
export class AutogradError extends TensorError {}

/** Anomaly detection (setDetectAnomaly): an op or a VJP produced NaN or ±Infinity. */
export class AnomalyError extends TensorError {}

/**
 * A device problem: a device that is not initialised or not available (no WebGPU adapter, limits
 * too low), tensors of different devices in one op, or a synchronous read of a GPU tensor.
 */
export class DeviceError extends TensorError {}

/**
 * A tensor too large for one typed array or for the memory the JavaScript engine will give.
 * Thrown where the array is made, which may not know the op; the public function the user
 * called names it on its way out (`op` is then set and the message starts with it).
 */
export class AllocationError extends TensorError {
  constructor(
    /** The message without the op: `cannot allocate a float32 tensor of shape ...`. */
    readonly detail: string,
    /** The public function that was allocating, when known. */
    readonly op?: string,
  ) {
    super(op === undefined ? detail : `${op}: ${detail}`);
  }

  /** This error as thrown by `op` (pad allocating through full is reported as pad). */
  named(op: string): AllocationError {
    return this.op === op ? this : new AllocationError(this.detail, op);
  }
}

/** A shape as error messages write it: `[2,3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
