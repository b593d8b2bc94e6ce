// The pool kernels of a backend (see backend.ts).

export interface PoolKernels {}
