// Which backend runs a tensor's kernels: the one of the tensor's device. The CPU backend is always
// there; a GPU backend registers itself when its device is initialised (initWebGPU). `withBackend`
// runs code with another implementation standing in for the CPU backend: that is how a new
// backend's kernels are put through the registry-wide gradient test and the fixture tests on CPU
// arrays (see packages/core/README.md, "Architecture").
import { ArgumentError, DeviceError } from '../errors.js';
import type { Device } from '../tensor/device.js';
import { registerStorage } from '../tensor/device.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';

let standIn: Backend | null = null;
const backends = new Map<Device, Backend>();

/** The backend that holds `tensor`'s elements and runs the kernels of ops on it. */
export function backendOf(tensor: { readonly device: Device }): Backend {
  return backendFor(tensor.device);
}

/** The backend of `device`; a DeviceError when that device has not been initialised. */
export function backendFor(device: Device): Backend {
  if (device === 'cpu') return standIn ?? (cpuBackend as Backend<TypedArray> as Backend);
  const backend = backends.get(device);
  if (backend === undefined) throw new DeviceError(`device '${device}' is not initialised: call \`await initWebGPU()\` first`);
  return backend;
}

/** Makes `backend` the one of its device (and its storage the device's storage). */
export function registerBackend(backend: Backend): void {
  if (backend.device === 'cpu') throw new ArgumentError("registerBackend: the 'cpu' backend is built in (use withBackend to stand in for it)");
  backends.set(backend.device, backend);
  registerStorage(backend.device, backend.storage);
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
