// Which backend runs a tensor's kernels. Today every tensor lives on the CPU; a second device adds
// its backend here, chosen by the tensor's device.
import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';

/** The backend that holds `tensor`'s elements and runs the kernels of ops on it. */
export function backendOf(_tensor: { readonly dtype: string }): Backend {
  return cpuBackend;
}
