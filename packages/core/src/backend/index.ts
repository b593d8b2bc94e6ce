// Which backend runs a tensor's kernels. Today every tensor lives on the CPU; a second device adds
// its backend here, chosen by the tensor's device. `withBackend` runs code with another
// implementation standing in for a device's backend: that is how a new backend is put through the
// registry-wide gradient test and the fixture tests before tensors can live on its device
// (see packages/core/README.md, "Architecture").
import { ArgumentError } from '../errors.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';

let standIn: Backend | null = null;

/** The backend that holds `tensor`'s elements and runs the kernels of ops on it. */
export function backendOf(_tensor: { readonly dtype: string }): Backend {
  return standIn ?? cpuBackend;
}

/**
 * Runs `fn` with `backend` running every kernel that a CPU tensor's ops call (synchronously: the
 * previous backend is back when fn returns or throws). Nesting is allowed.
 */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  if (typeof backend !== 'object' || backend === null || backend.device !== 'cpu') {
    throw new ArgumentError(`withBackend: backend must be a Backend for device 'cpu' (its arrays are CPU typed arrays), got ${backend === null ? 'null' : typeof backend === 'object' ? `device ${String((backend as { device?: unknown }).device)}` : typeof backend}`);
  }
  const previous = standIn;
  standIn = backend;
  try {
    return fn();
  } finally {
    standIn = previous;
  }
}

/** The CPU backend (WebAssembly SIMD kernels, TypeScript reference kernels). */
export { cpuBackend };
