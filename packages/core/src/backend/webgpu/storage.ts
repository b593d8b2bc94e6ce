// The WebGPU backend's storage area (StorageKernels, tensor/device.ts) on the runtime initWebGPU
// made: float32 and int32 arrays in GPU buffers from the runtime's pool.
import { DTypeError, DeviceError } from '../../errors.js';
import type { DType, TypedArray } from '../../tensor/dtype.js';
import { noteAllocation } from '../../tensor/storage.js';
import type { KernelArray, StorageKernels } from '../storage.js';
import { GPU_DTYPES, GpuArray, type GpuDType } from './gpu-array.js';
import { webgpuRuntime } from './runtime.js';

/** StorageKernels of device 'webgpu'. */
export const webgpuStorage: StorageKernels = {
  allocate(dtype: DType, length: number, zeroed: boolean, shape?: readonly number[], op?: string): GpuArray {
    const array = webgpuRuntime().allocate(gpuDType(dtype, op ?? 'allocate', shape), length, zeroed, shape, op);
    // Backward recycles only what it allocated itself (autograd/recycler.ts).
    noteAllocation(array);
    return array;
  },
  fromHost(data: TypedArray): GpuArray {
    if (data instanceof Float64Array) gpuDType('float64', 'fromHost');
    return webgpuRuntime().upload(data as Float32Array | Int32Array);
  },
  toHostAsync(array: KernelArray): Promise<TypedArray> {
    return webgpuRuntime().readAsync(gpuArray(array, 'toHostAsync'));
  },
  release(array: KernelArray): void {
    webgpuRuntime().release(gpuArray(array, 'release'));
  },
  copy(src: KernelArray, dst: KernelArray): void {
    webgpuRuntime().copy(gpuArray(src, 'copy'), gpuArray(dst, 'copy'));
  },
  write(dst: KernelArray, data: TypedArray): void {
    webgpuRuntime().write(gpuArray(dst, 'write'), data);
  },
};

/** `dtype`, or a DTypeError naming WebGPU's dtypes (WGSL has no float64). */
function gpuDType(dtype: DType, op: string, shape?: readonly number[]): GpuDType {
  if ((GPU_DTYPES as readonly string[]).includes(dtype)) return dtype as GpuDType;
  const tensor = shape === undefined ? '' : ` (shape [${shape.join(',')}])`;
  throw new DTypeError(`${op}: WebGPU holds ${GPU_DTYPES.join(' and ')} tensors, got ${dtype}${tensor}: convert to float32 first (WGSL has no 64-bit floats)`);
}

function gpuArray(array: KernelArray, op: string): GpuArray {
  if (array instanceof GpuArray) return array;
  throw new DeviceError(`${op}: the WebGPU backend got a ${ArrayBuffer.isView(array) ? `CPU ${array.constructor.name}` : `'${array.device}' array that is not a GpuArray`}; move the tensor with .to('webgpu') first`);
}
