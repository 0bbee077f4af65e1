/** One page of a listing; `nextCursor` is opaque (pass it back unchanged) and null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
