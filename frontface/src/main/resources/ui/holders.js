// Who holds a slot, as the pages say it: holder labels and the Free / Held / Held by you badges.
import { h } from './dom.js';
import { isPool, holdsOf, poolSummary } from './pool.js';
import { state } from './shell.js';

export const isOwner = (s) => state.me && (state.me.admin || (s.owners || []).includes(state.me.principal));

export function holderText(lock) {
  return lock.owner === lock.principal ? lock.principal : `${lock.owner} (${lock.principal})`;
}

/** "Held by you (owner job-4711)", "Held" or "Free". */
export function badgeText(s) {
  if (!s.lock) return 'Free';
  if (s.lock.principal !== state.me.principal) return 'Held';
  return s.lock.owner && s.lock.owner !== s.lock.principal ? `Held by you (owner ${s.lock.owner})` : 'Held by you';
}
export const ownedByMe = (s) => !!(s.lock && s.lock.principal === state.me.principal);
export const badge = {
  mine: (s) => holdsOf(s).some((l) => l.principal === state.me.principal),
  // A pool's state is how full it is (pool.js).
  el: (s) => isPool(s) ? poolSummary(s) : h('span', { class: !s.lock ? 'badge' : ownedByMe(s) ? 'badge mine' : 'badge held' }, badgeText(s)),
};
