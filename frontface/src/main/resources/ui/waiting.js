// Waiting in line from the UI: your place, a countdown of your wait and of the holder's time left, and Cancel.
import { h, clear, countdown } from './dom.js';

/** Where {@code principal} stands in {@code s}'s line (1 = next), or 0 if not in it. */
export function placeInLine(s, principal) {
  const i = (s.waiters || []).findIndex((w) => w.principal === principal);
  return i < 0 ? 0 : i + 1;
}

/** Fills the waiting panel for a wait that ends at {@code until}; {@code onCancel} leaves the line. */
export function fillWaiting(box, s, principal, until, onCancel) {
  const place = placeInLine(s, principal);
  const cancel = h('button', { type: 'button', class: 'secondary', id: 'cancel-wait' }, 'Cancel');
  cancel.addEventListener('click', onCancel);
  clear(box).append(
    h('h2', {}, 'You are waiting in line'),
    h('p', { id: 'wait-place' }, place ? `You are #${place} in line` : 'Joining the line…',
      s.waiting ? ` of ${s.waiting}` : ''),
    h('p', {}, 'Your wait ends in ', h('span', { id: 'wait-left' }, countdown(until))),
    s.lock ? h('p', {}, `Holder ${s.lock.owner}: `, h('span', { id: 'holder-left' }, countdown(s.lock.expireAt))) : null,
    cancel);
  box.hidden = false;
}
