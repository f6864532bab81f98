// One slot's page: its state, pool units, waiters, history and a curl snippet; actions and owner tools
// are in slot-actions.js and slot-admin.js.
import { h, clear, countdown, duration, drainBar } from './dom.js';
import { call, explain } from './api.js';
import { ago } from './time.js';
import { timelineBars } from './timeline.js';
import { copyButton } from './page.js';
import { isPool, poolUnits } from './pool.js';
import { main, state } from './shell.js';
import { isOwner, holderText, badgeText, ownedByMe } from './holders.js';
import { fillActions, updateActions, claimSlot } from './slot-actions.js';
import { fillAdmin } from './slot-admin.js';

export async function renderSlot(id, fresh) {
  let s = state.slots.get(id);
  if (!s) {
    try { s = await call('GET', `/api/v1/slots/${encodeURIComponent(id)}`); } catch (e) {
      clear(main).append(h('h1', {}, 'Slot not found'), h('p', {}, explain(e, 'Loading the slot')), h('a', { href: '#/' }, 'Back to all slots'));
      return;
    }
  }
  let history = null;
  try { history = await call('GET', `/api/v1/slots/${encodeURIComponent(id)}/history?limit=50`); } catch { history = null; }
  const current = state.current;
  if (!current || current.view !== 'slot' || current.id !== id) return;
  s = state.slots.get(id) || s;
  document.title = `${s.name || s.id} — Mutexify`;
  // Keep a form the user is typing in: only the live parts are redrawn on a change.
  let page = main.querySelector('#slot-page');
  if (fresh || !page || page.dataset.slot !== id) {
    page = h('div', { id: 'slot-page', 'data-slot': id },
      h('p', {}, h('a', { href: '#/' }, '← All slots')),
      h('h1', { id: 'slot-title' }),
      h('section', { class: 'panel', id: 'slot-state', 'aria-live': 'polite' }),
      h('section', { class: 'panel', id: 'slot-actions', 'aria-labelledby': 'actions-title' }),
      h('section', { class: 'panel', id: 'slot-history', 'aria-labelledby': 'history-title' }),
      h('section', { class: 'panel', id: 'slot-curl', 'aria-labelledby': 'curl-title' }),
      isOwner(s) ? h('section', { class: 'panel', id: 'slot-admin', 'aria-labelledby': 'admin-title' }) : null);
    clear(main).append(page);
    fillActions(page.querySelector('#slot-actions'), s);
    fillCurl(page.querySelector('#slot-curl'), s);
    if (isOwner(s)) fillAdmin(page.querySelector('#slot-admin'), s);
  } else {
    updateActions(page.querySelector('#slot-actions'), s);
  }
  page.querySelector('#slot-title').textContent = s.name || s.id;
  fillState(page.querySelector('#slot-state'), s);
  fillHistory(page.querySelector('#slot-history'), history);
}

function fillState(box, s) {
  const rows = [['Slot id', s.id]];
  if (s.description) rows.push(['Description', s.description]);
  if (s.lock && !isPool(s)) {
    rows.push(['Holder', holderText(s.lock)], ['Fence', String(s.lock.fence)], ['Expires', ago(s.lock.expireAt)],
      ['Time left', h('div', {}, countdown(s.lock.expireAt), drainBar(s.lock))]);
    if (s.lock.metadata && s.lock.metadata.length) rows.push(['Note', h('ul', { class: 'notes' }, ...s.lock.metadata.map((n) => h('li', { class: 'note' }, n)))]);
  } else {
    rows.push(['Fence so far', String(s.fence)]);
  }
  rows.push(['Owners', (s.owners || []).join(', ') || '—'], ['Members', (s.members || []).join(', ') || '—'],
    ['Timeouts', `default ${duration(s.defaultTimeout)}, at most ${duration(s.maxTimeout)}`]);
  const waiters = s.waiters && s.waiters.length
    ? h('ol', { id: 'waiters' }, ...s.waiters.map((w) => h('li', {}, `${holderText(w)} — waiting since `, ago(w.since), ', until ', ago(w.waitUntil))))
    : h('p', { class: 'muted', id: 'waiters' }, 'Nobody is waiting.');
  clear(box).append(
    h('p', {}, s.lock
      ? h('span', { class: ownedByMe(s) ? 'badge mine' : 'badge held', id: 'slot-badge' }, badgeText(s))
      : h('span', { class: 'badge', id: 'slot-badge' }, 'Free')),
    h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    isPool(s) ? poolUnits(s, state.me, (unit) => claimSlot(main.querySelector('#slot-actions'), s, { unit })) : null,
    h('h2', {}, `Waiting (${s.waiting || 0})`), waiters);
}

function fillHistory(box, history) {
  const items = [];
  const live = history ? history.holds || (history.current ? [history.current] : []) : [];
  for (const c of live) {
    items.push(h('li', { class: 'current hold', 'data-ended': 'current' }, h('strong', {}, `Fence ${c.fence}`), c.unit ? ` (${c.unit})` : '',
      ` — ${holderText(c)}, since `, ago(c.createdAt), ', holding now'));
  }
  for (const e of (history ? history.history : [])) {
    items.push(h('li', { class: 'hold', 'data-ended': e.ended }, h('strong', {}, `Fence ${e.fence}`), e.unit ? ` (${e.unit})` : '',
      ` — ${holderText(e)}, `, ago(e.acquiredAt), ' → ', ago(e.endedAt), ` (${e.ended}${e.endedBy ? ' by ' + e.endedBy : ''})`));
  }
  clear(box).append(h('h2', { id: 'history-title' }, 'History'), timelineBars(history) || '',
    items.length ? h('ol', { class: 'timeline', id: 'history' }, ...items)
      : h('p', { class: 'muted', id: 'history' }, history ? 'Nobody has held this slot yet.' : 'The history could not be loaded.'));
}

function fillCurl(box, s) {
  const base = location.origin;
  const id = s.id;
  const text = [
    `B=${base}`,
    'KEY=mtx_…   # an API key from the API keys page',
    `# take the lock (wait up to 30 s), keep the token and fence`,
    `curl -s -X POST $B/api/v1/locks/${id} -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"timeout":${s.defaultTimeout},"wait":30}'`,
    `# who holds it`,
    `curl -s $B/api/v1/locks/${id} -H "Authorization: Bearer $KEY"`,
    `# give it back`,
    `curl -s -X DELETE $B/api/v1/locks/${id}/$TOKEN -H "Authorization: Bearer $KEY"`,
  ].join('\n');
  const pre = h('pre', { id: 'curl-snippet', tabindex: 0 }, h('code', {}, text));
  clear(box).append(h('h2', { id: 'curl-title' }, 'Use it from a script'), pre, copyButton(text, 'Copy curl snippet'));
}
