// The slot list in pages: the live watch answers the first page; the pages asked for with
// "Show more" are read after it on every change, so the list keeps showing what was asked for.
import { call } from './api.js';

export const PAGE = 100;

/** The slots of `first` and of up to `more` pages after it: { slots, next }. */
export async function withMorePages(first, more, signal) {
  const slots = [...first.slots];
  let next = first.next;
  for (let i = 0; i < more && next; i++) {
    const r = await call('GET', `/api/v1/slots?limit=${PAGE}&after=${encodeURIComponent(next)}`, undefined, { signal });
    slots.push(...r.slots);
    next = r.next;
  }
  return { slots, next };
}
