// Which page the address shows (#/, #/slots/{id}, #/new, #/keys), and redrawing it.
import { renderKeys } from './keys.js';
import { renderNew } from './register.js';
import { main, nav, state } from './shell.js';
import { renderList } from './list.js';
import { renderSlot } from './slot.js';

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const m = hash.match(/^\/slots\/([^/]+)$/);
  if (m) return { view: 'slot', id: decodeURIComponent(m[1]) };
  if (hash === '/new') return { view: 'new' };
  if (hash === '/keys') return { view: 'keys' };
  return { view: 'slots' };
}

export function render() {
  if (!state.me) return;
  const r = route();
  for (const a of nav.querySelectorAll('a')) {
    const active = a.dataset.nav === (r.view === 'slot' ? 'slots' : r.view);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  state.current = r;
  if (r.view === 'slots') renderList(true);
  else if (r.view === 'slot') renderSlot(r.id, true);
  else if (r.view === 'new') renderNew(main, state.me, (s) => state.slots.set(s.id, s));
  else if (r.view === 'keys') renderKeys(main);
}

/** The watch saw a change: redraw what is on screen, keeping the user's focus and typing. */
export function refresh() {
  const current = state.current;
  if (!current || !state.me) return;
  if (current.view === 'slots') renderList(false);
  else if (current.view === 'slot') renderSlot(current.id, false);
}
