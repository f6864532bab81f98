// The slot list: search, filter, table or cards, kept live without losing the keyboard focus.
import { h, clear, field, countdown } from './dom.js';
import { slotTable, sortSlots } from './table.js';
import { isPool, poolSummary } from './pool.js';
import { main, state } from './shell.js';
import { holderText, badge } from './holders.js';
import { call } from './api.js';
import { act } from './page.js';
import { PAGE } from './slotpages.js';

export function renderList(fresh) {
  document.title = 'Slots — Mutexify';
  let list = main.querySelector('#slot-list');
  if (fresh || !list) {
    const search = h('input', { type: 'search', id: 'slot-search', value: state.filter.text, placeholder: 'id, name, holder…' });
    const which = h('select', { id: 'slot-filter' },
      ...[['all', 'All'], ['free', 'Free'], ['held', 'Held'], ['mine', 'Held by me']].map(([v, t]) =>
        h('option', { value: v, selected: state.filter.state === v }, t)));
    search.addEventListener('input', () => { state.filter.text = search.value; renderList(false); });
    which.addEventListener('change', () => { state.filter.state = which.value; renderList(false); });
    const layout = h('div', { class: 'layout', role: 'group', 'aria-label': 'Layout' },
      ...[['table', 'Table'], ['cards', 'Cards']].map(([v, t]) => {
        const b = h('button', { type: 'button', class: 'secondary', id: `view-${v}`, 'aria-pressed': String(state.layout === v) }, t);
        b.addEventListener('click', () => { state.layout = v; localStorage.setItem('mutexify.layout', v); renderList(true); });
        return b;
      }));
    list = h('div', { id: 'slot-list', 'aria-live': 'polite', 'aria-relevant': 'additions removals' });
    clear(main).append(
      h('h1', {}, 'Lock slots'),
      h('div', { class: 'toolbar', role: 'search' }, field('Search', search), field('Show', which), layout,
        h('a', { href: '#/new' }, 'Register a slot')),
      h('p', { id: 'slot-count', class: 'muted' }),
      list,
      h('p', { id: 'slot-more' }));
  }
  const text = state.filter.text.trim().toLowerCase();
  const shown = [...state.slots.values()]
    .filter((s) => state.filter.state === 'all'
      || (state.filter.state === 'mine' ? s.lock && s.lock.principal === state.me.principal : s.state === state.filter.state))
    .filter((s) => !text || [s.id, s.name, s.description, s.lock && s.lock.owner, s.lock && s.lock.principal]
      .some((v) => v && v.toLowerCase().includes(text)))
    .sort((a, b) => a.id.localeCompare(b.id));
  // A live redraw must not take the keyboard focus away from the slot link someone tabbed to.
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.slot');
  const focusedId = focused ? focused.dataset.slot : null;
  const focusedSort = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.sort : null;
  if (state.layout === 'table') {
    clear(list).append(slotTable(sortSlots(shown, state.sort), state.sort, { badge, holder: holderText, onSort: (by) => {
      state.sort = { by, desc: state.sort.by === by ? !state.sort.desc : false };
      renderList(false);
    } }));
  } else {
    clear(list).append(h('ul', { class: 'slots' }, ...shown.map(slotCard)));
  }
  if (focusedId) {
    const again = [...list.querySelectorAll('.slot')].find((el) => el.dataset.slot === focusedId);
    if (again) again.querySelector('a').focus();
  } else if (focusedSort) {
    const again = list.querySelector(`button[data-sort="${focusedSort}"]`);
    if (again) again.focus();
  }
  const count = main.querySelector('#slot-count');
  count.textContent = state.slots.size === 0
    ? 'No slots yet. Register one, or acquire a lock over the API.'
    : `${shown.length} of ${state.slots.size} slots${state.next ? ' loaded' : ''}`;
  renderShowMore(main.querySelector('#slot-more'));
}

/** "Show more" while slots follow the last page shown: reads the next page, and keeps it in view on changes. */
function renderShowMore(place) {
  if (!place) return;
  clear(place);
  if (!state.next) return;
  const more = h('button', { type: 'button', class: 'secondary', id: 'show-more' }, 'Show more');
  more.addEventListener('click', () => act(more, null, 'Loading more slots', async () => {
    const r = await call('GET', `/api/v1/slots?limit=${PAGE}&after=${encodeURIComponent(state.next)}`);
    state.morePages++;
    r.slots.forEach((s) => state.slots.set(s.id, s));
    state.next = r.next;
    renderList(false);
  }));
  place.append(more);
}

function slotCard(s) {
  const held = s.state === 'held' && s.lock;
  const m = held && (s.lock.principal === state.me.principal);
  const status = isPool(s) ? [poolSummary(s)] : held
    ? [badge.el(s), ' ',
      h('span', { class: 'holder' }, holderText(s.lock)), ' · fence ', String(s.lock.fence), ' · ', countdown(s.lock.expireAt)]
    : [h('span', { class: 'badge' }, 'Free'), ' ', h('span', { class: 'muted' }, `next grant gets fence ${s.fence + 1}`)];
  return h('li', { class: 'slot', 'data-slot': s.id, 'data-state': s.state, 'data-mine': m ? 'true' : 'false' },
    h('h2', {}, h('a', { href: `#/slots/${encodeURIComponent(s.id)}`, class: 'slot-link' }, s.name || s.id)),
    h('span', { class: 'id' }, s.id),
    h('div', { class: 'state' }, ...status),
    s.waiting ? h('div', { class: 'waiting' }, `${s.waiting} waiting`) : null,
    s.description ? h('div', { class: 'muted desc' }, s.description) : null);
}
