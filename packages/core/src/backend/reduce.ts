// The reduce kernels of a backend (see backend.ts).

export interface ReduceKernels {}
