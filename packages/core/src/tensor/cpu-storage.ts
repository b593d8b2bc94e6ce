// The CPU's storage kernels: a CPU tensor's storage is its typed array (tensor/storage.ts hands
// them out and takes them back). Registered here, in the tensor room, so tensor creation works in
// a bundle that loads no backend module; the CPU backend's storage area is this object.
import { DTypeError } from '../errors.js';
import { type KernelArray, type StorageKernels, registerStorage } from './device.js';
import { type TypedArray, checkInt32Values, dtypeOfArray } from './dtype.js';
import { allocate, allocateUninitialized, recycle } from './storage.js';

function host(array: KernelArray, op: string): TypedArray {
  if (!ArrayBuffer.isView(array)) throw new DTypeError(`cpu storage ${op}: got a '${array.device}' array`);
  return array;
}

export const cpuStorage: StorageKernels = {
  allocate: (dtype, length, zeroed, shape, op) => (zeroed ? allocate(dtype, length, shape, op) : allocateUninitialized(dtype, length, shape)),
  fromHost: (data) => data,
  toHostAsync: (array) => Promise.resolve(host(array, 'toHostAsync')),
  release: (array) => {
    const data = host(array, 'release');
    recycle(data, dtypeOfArray(data));
  },
  copy: (src, dst) => host(dst, 'copy').set(host(src, 'copy')),
  write: (dst, data) => {
    const out = host(dst, 'write');
    if (out instanceof Int32Array && !(data instanceof Int32Array)) checkInt32Values('write', 'data', data);
    out.set(data);
  },
};

registerStorage('cpu', cpuStorage);
