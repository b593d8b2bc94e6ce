// The elementwise kernels of a backend (see backend.ts).

export interface ElementwiseKernels {}
