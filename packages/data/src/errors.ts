import { TensorError } from '@tensorgrad/core';

/** A data file that is missing, truncated or not in the format its reader expects. */
export class DataError extends TensorError {}
