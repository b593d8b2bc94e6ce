// Host typed arrays that WebGPU kernels receive besides tensor data: metadata the ops compute on
// the host (index attributes of pads, slices and index_select, avg-pool divisors, pool taps). A
// kernel can only bind GPU buffers, so such an array is uploaded once and the upload reused: the
// ops never modify an attribute after making it, so the first upload stays valid for the host
// array's life. The cache is weak both ways (host array -> upload; the upload's buffer goes back
// to the pool when the host array, and with it the GpuArray, is collected), and kept per runtime
// so that arrays uploaded to a device replaced by a later initWebGPU are never bound.
import { DTypeError } from '../../errors.js';
import { checkInt32Values } from '../../tensor/dtype.js';
import type { TypedArray } from '../../tensor/dtype.js';
import type { KernelArray } from '../storage.js';
import { type GpuArray, type GpuDType, gpuArrayOf } from './gpu-array.js';
import { webgpuRuntime, type WebGPURuntime } from './runtime.js';

interface Uploads {
  float32?: GpuArray;
  int32?: GpuArray;
}

const uploadsByRuntime = new WeakMap<WebGPURuntime, WeakMap<TypedArray, Uploads>>();

/**
 * `a` as a GpuArray of `dtype`: a GpuArray is returned unchanged (its dtype must be `dtype`); a host
 * typed array is converted to `dtype` (float64 values rounded to float32; values for int32 must be
 * integers int32 can store) and uploaded on its first use, later uses return the same upload. The
 * host array must not be modified afterwards (ops' attributes never are).
 */
export function deviceArrayOf(a: KernelArray, dtype: GpuDType): GpuArray {
  if (!ArrayBuffer.isView(a)) return gpuArrayOf(a, 'deviceArrayOf', 'a host or device array', dtype);
  const runtime = webgpuRuntime();
  let cache = uploadsByRuntime.get(runtime);
  if (cache === undefined) {
    cache = new WeakMap();
    uploadsByRuntime.set(runtime, cache);
  }
  let uploads = cache.get(a);
  if (uploads === undefined) {
    uploads = {};
    cache.set(a, uploads);
  }
  let upload = uploads[dtype];
  if (upload === undefined || upload.released) {
    upload = runtime.upload(hostWords(a, dtype));
    uploads[dtype] = upload;
  }
  return upload;
}

/** `a`'s values as the 32-bit words of `dtype` (a itself when it already has that type). */
function hostWords(a: TypedArray, dtype: GpuDType): Float32Array | Int32Array {
  if (dtype === 'float32') return a instanceof Float32Array ? a : Float32Array.from(a);
  if (a instanceof Int32Array) return a;
  checkInt32Values('deviceArrayOf', 'a host index array', a);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isInteger(a[i])) {
      throw new DTypeError(`deviceArrayOf: a host index array[${i}] = ${a[i]} is not an integer (an int32 attribute must hold integers)`);
    }
  }
  return Int32Array.from(a);
}
