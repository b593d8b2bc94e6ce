// The norm kernels of a backend (see backend.ts).

export interface NormKernels {}
