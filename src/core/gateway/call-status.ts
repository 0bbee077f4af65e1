import type { BreakwaterError } from '../errors/breakwater-error.js';

/** The HTTP status a finished call is recorded under; 499 when the client went away. */
export function callStatus(error: BreakwaterError | undefined): number {
  if (!error) return 200;
  return error.details.clientClosed ? 499 : error.status;
}
