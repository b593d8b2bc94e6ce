// Every error tensorgrad throws names the op, the argument, and what was expected vs received.

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

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
