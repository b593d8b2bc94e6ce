// The storage area of a backend: its StorageKernels (declared in the tensor room, tensor/device.ts,
// because Tensor moves and reads its elements through them without importing a backend).
export type { Device, DeviceArray, KernelArray, StorageKernels } from '../tensor/device.js';
export { isDeviceArray, accumulatorDtype } from '../tensor/device.js';
