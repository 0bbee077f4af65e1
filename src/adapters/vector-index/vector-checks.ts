import { BreakwaterError } from '../../core/errors/breakwater-error.js';

/** Labels are what hnswlib can hold: unsigned 32-bit integers. */
export function assertLabel(label: number): void {
  if (!Number.isInteger(label) || label < 0 || label > 0xffff_ffff) {
    throw new BreakwaterError('INTERNAL_ERROR', `Vector labels are integers in 0…2^32-1; got ${label}.`);
  }
}

export function assertDimension(vector: Float32Array, dimension: number): void {
  if (vector.length !== dimension) {
    throw new BreakwaterError('INTERNAL_ERROR', `The vector has ${vector.length} dimensions; this index holds ${dimension}.`);
  }
}
