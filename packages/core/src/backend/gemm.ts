// The gemm kernels of a backend (see backend.ts).

export interface GemmKernels {}
