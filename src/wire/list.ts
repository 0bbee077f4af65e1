/** A page of a listing, newest first: pass `next_cursor` back as `?cursor=` for the next page. */
export interface WireList<Item> {
  object: 'list';
  data: Item[];
  has_more: boolean;
  next_cursor: string | null;
}
