// The conv kernels of a backend (see backend.ts).

export interface ConvKernels {}
