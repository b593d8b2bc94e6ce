// The copy kernels of a backend (see backend.ts).

export interface CopyKernels {}
