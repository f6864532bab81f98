// The slot list as a dense, sortable table: name, state, holder, time left, waiters.
import { h, countdown } from './dom.js';

export const COLUMNS = [
  ['name', 'Name', (s) => (s.name || s.id).toLowerCase()],
  ['state', 'State', (s) => s.state],
  ['holder', 'Holder', (s) => (s.lock ? s.lock.owner.toLowerCase() : '')],
  ['left', 'Time left', (s) => (s.lock ? Date.parse(s.lock.expireAt) : Infinity)],
  ['waiting', 'Waiting', (s) => s.waiting || 0],
];

export function sortSlots(slots, sort) {
  const col = COLUMNS.find((c) => c[0] === sort.by) || COLUMNS[0];
  const dir = sort.desc ? -1 : 1;
  return [...slots].sort((a, b) => {
    const x = col[2](a), y = col[2](b);
    return (x < y ? -1 : x > y ? 1 : a.id.localeCompare(b.id)) * dir;
  });
}

/** The table; {@code badge(s)} draws a slot's state, {@code onSort(by)} is called when a header is chosen. */
export function slotTable(slots, sort, { badge, holder, onSort }) {
  const head = h('tr', {}, ...COLUMNS.map(([key, label]) => {
    const active = sort.by === key;
    const b = h('button', { type: 'button', class: 'sort', 'data-sort': key }, label, active ? (sort.desc ? ' ▼' : ' ▲') : '');
    b.addEventListener('click', () => onSort(key));
    return h('th', { scope: 'col', 'aria-sort': active ? (sort.desc ? 'descending' : 'ascending') : 'none' }, b);
  }));
  const rows = slots.map((s) => h('tr', { class: 'slot', 'data-slot': s.id, 'data-state': s.state, 'data-mine': badge.mine(s) ? 'true' : 'false' },
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/slots/${encodeURIComponent(s.id)}`, class: 'slot-link' }, s.name || s.id),
      s.name ? h('span', { class: 'id' }, ' ', s.id) : null),
    h('td', { 'data-label': 'State' }, badge.el(s)),
    h('td', { 'data-label': 'Holder' }, s.lock ? [holder(s.lock), ' · fence ', String(s.lock.fence)] : h('span', { class: 'muted' }, `next fence ${s.fence + 1}`)),
    h('td', { 'data-label': 'Time left' }, s.lock ? countdown(s.lock.expireAt) : '—'),
    h('td', { 'data-label': 'Waiting' }, s.waiting ? `${s.waiting} waiting` : '0')));
  return h('table', { class: 'slot-table', id: 'slot-table' }, h('thead', {}, head), h('tbody', {}, ...rows));
}
