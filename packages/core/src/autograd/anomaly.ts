// Anomaly detection (PyTorch's detect_anomaly): while on, the first op whose output or VJP
// whose gradient contains NaN or ±Infinity throws an AnomalyError naming the op, its inputs'
// shapes and dtypes, and where the forward op was called. While off it costs one boolean test
// per op application (registry) and per backward (engine).
import { AnomalyError, ArgumentError, DeviceError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Node } from './node.js';
import type { OpDef } from './types.js';

let enabled = false;

/** Whether anomaly detection (`setDetectAnomaly`, `detectAnomaly`) is on. */
export function isAnomalyDetectionEnabled(): boolean {
  return enabled;
}

/** Turns anomaly detection on or off for everything that runs afterwards. */
export function setDetectAnomaly(on: boolean): void {
  if (typeof on !== 'boolean') throw new ArgumentError(`setDetectAnomaly: on must be a boolean, got ${typeof on} ${String(on)}`);
  enabled = on;
}

/**
 * Runs fn with anomaly detection on and restores the previous setting, also when fn throws.
 * Synchronous functions only: an async fn would run its code after the first `await` with
 * detection already restored, so a returned Promise is rejected with an ArgumentError (use
 * setDetectAnomaly(true) … setDetectAnomaly(false) around async code).
 */
export function detectAnomaly<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ArgumentError(`detectAnomaly: fn must be a function, got ${typeof fn}`);
  const previous = enabled;
  enabled = true;
  let result: T;
  try {
    result = fn();
  } finally {
    enabled = previous;
  }
  if (result instanceof Promise) {
    throw new ArgumentError(
      'detectAnomaly: fn returned a Promise, but detection covers synchronous code only (it would be off after the first await); ' +
        'call setDetectAnomaly(true) before the async code and setDetectAnomaly(false) after it',
    );
  }
  return result;
}

/** Runs fn with the checks paused: inside an op's forward or a backward, only the outer result counts. */
export function pauseAnomalyDetection<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Where an op is being called, without the frames of this machinery. */
export function callerStack(): string {
  const limit = Error.stackTraceLimit;
  // The dispatch layers add frames: keep enough to reach the user's code.
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !/[\\/]autograd[\\/](anomaly|registry|op-table)\.[jt]s|\(node:internal[\\/]/.test(line))
    .slice(0, 16)
    .join('\n');
}

/** Throws if the output of a forward op contains NaN or ±Infinity. */
export function checkForward(def: OpDef, inputs: readonly (Tensor | null)[], y: Tensor, stack: string): void {
  const bad = nonFinite(y);
  if (bad === undefined) return;
  throw new AnomalyError(
    `${def.name}: anomaly detection: the output ${formatShape(y.shape)} ${y.dtype} contains ${bad} ` +
      `(inputs: ${describeInputs(def, inputs)}). ${provenance(inputs)}The op was called at:\n${stack}`,
  );
}

/** Throws if a gradient a VJP returned for `input` contains NaN or ±Infinity. */
export function checkGradient(node: Node, name: string, g: Tensor, dy: Tensor): void {
  const bad = nonFinite(g);
  if (bad === undefined) return;
  const dyBad = nonFinite(dy);
  throw new AnomalyError(
    `backward: anomaly detection: the VJP of op '${node.op.name}' returned a gradient for input '${name}' ` +
      `${formatShape(g.shape)} ${g.dtype} that contains ${bad} ` +
      `(forward inputs: ${describeInputs(node.op, node.inputs ?? [])}; incoming gradient dy ${formatShape(dy.shape)} ${dy.dtype}` +
      `${dyBad === undefined ? ' is finite' : ` already contains ${dyBad}`}). ` +
      `The forward op was called at:\n${node.forwardStack ?? '    (not recorded: the forward ran before anomaly detection was turned on)'}`,
  );
}

/** "2 NaN and 1 ±Infinity (first at flat index 3)", or undefined when every element is finite. */
function nonFinite(t: Tensor): string | undefined {
  if (t.dtype === 'int32') return undefined;
  if (t.device !== 'cpu') {
    // Checking every value would read GPU memory back synchronously, which WebGPU cannot do.
    throw new DeviceError(
      `anomaly detection reads every value an op produces, which needs a synchronous readback: it runs on CPU tensors only (got a '${t.device}' tensor); ` +
        'reproduce the problem on the CPU, or check values with `await t.dataAsync()`',
    );
  }
  const data = t.data;
  let nan = 0;
  let inf = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v === 0) continue; // finite; NaN and ±Infinity give NaN
    if (first < 0) first = i;
    if (v !== v) nan++;
    else inf++;
  }
  if (first < 0) return undefined;
  const parts = [nan > 0 ? `${nan} NaN` : '', inf > 0 ? `${inf} ±Infinity` : ''].filter((s) => s !== '');
  return `${parts.join(' and ')} (first at flat index ${first})`;
}

const inputName = (def: OpDef, i: number): string =>
  def.inputs[0]?.variadic ? `${def.inputs[0].name}[${i}]` : def.inputs[i]?.name ?? `input ${i}`;

function describeInputs(def: OpDef, inputs: readonly (Tensor | null)[]): string {
  const parts = inputs.flatMap((t, i) => {
    if (t === null) return [];
    const bad = nonFinite(t);
    return [`${inputName(def, i)} ${formatShape(t.shape)} ${t.dtype}${bad === undefined ? '' : ` holding ${bad}`}`];
  });
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** Why an input may already be non-finite: an op would have thrown when it produced it. */
function provenance(inputs: readonly (Tensor | null)[]): string {
  if (!inputs.some((t) => t !== null && nonFinite(t) !== undefined)) return '';
  return 'An input already contained NaN or ±Infinity, so it did not come from an op run with anomaly detection on: ' +
    'it is your data, a value written in place, or computed before detection was turned on. ';
}
