// Mutexify web UI: sign-in, the live slot list, slot detail with actions, registration, API keys.
import { h, clear, field, countdown, tick, duration } from './dom.js';
import { call, session, locks, explain, whenUnauthorized, ApiError } from './api.js';
import { ago, tickRelative, parseDuration, durationInput } from './time.js';
import { timelineBars } from './timeline.js';
import { slotTable, sortSlots } from './table.js';
import { syncOwnLocks, missingOwnToken } from './mine.js';
import { fillWaiting } from './waiting.js';
import { flash, clearFlash, busy, act, copyButton, list } from './page.js';
import { renderKeys } from './keys.js';
import { renderNew } from './register.js';
import { isPool, holdsOf, poolSummary, poolUnits } from './pool.js';
import { PAGE, withMorePages } from './slotpages.js';

const main = document.getElementById('main');
const conn = document.getElementById('conn');
const who = document.getElementById('who');
const nav = document.getElementById('nav');
const signoutButton = document.getElementById('signout');

const state = {
  config: null,
  me: null,
  slots: new Map(), // id -> slot view
  index: null,
  morePages: 0, // pages shown after the first ("Show more")
  next: null, // the cursor after the last page shown, null when every slot is shown
  filter: { text: '', state: 'all' },
  layout: localStorage.getItem('mutexify.layout') || 'table', // or 'cards'
  sort: { by: 'name', desc: false },
  wait: null, // { slot, until, abort, location } while this tab waits in line
  watchGeneration: 0,
  watchAbort: null,
};

// ---------- sign-in ----------
async function start() {
  whenUnauthorized(() => { if (state.me) signOut('Your session ended; sign in again.'); });
  signoutButton.addEventListener('click', () => signOut());
  window.addEventListener('hashchange', () => { clearFlash(); render(); });
  setInterval(() => {
    document.querySelectorAll('[data-expire-at]').forEach(tick);
    document.querySelectorAll('[data-relative]').forEach(tickRelative);
    document.querySelectorAll('[data-drain-until]').forEach(drain);
  }, 1000);
  try {
    state.config = await call('GET', '/api/v1/auth/config', undefined, { auth: false });
  } catch (e) {
    flash(explain(e, 'Loading the sign-in options'));
    return;
  }
  const open = state.config.methods.includes('open');
  if (session.token() || open) {
    try {
      await afterSignIn();
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) flash(explain(e, 'Loading who you are'));
    }
  }
  showSignIn();
}

function showSignIn() {
  nav.hidden = true;
  signoutButton.hidden = true;
  conn.hidden = true;
  clear(who);
  document.title = 'Sign in — Mutexify';
  const methods = state.config.methods;
  const box = h('section', { class: 'panel', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Mutexify'));
  if (methods.includes('google') && state.config.googleClientId) {
    const slot = h('div', { id: 'google-button' });
    box.append(h('p', {}, 'Sign in with your Google account.'), slot);
    loadGoogle(slot);
  } else if (methods.includes('dev')) {
    const email = h('input', { type: 'email', name: 'email', id: 'dev-email', required: true, autocomplete: 'email', placeholder: 'you@example.com' });
    const form = h('form', { class: 'stack', id: 'dev-signin' },
      h('p', { class: 'muted' }, 'Dev sign-in: this server trusts the address you type. It is meant for your own machine.'),
      field('E-mail address', email),
      h('div', {}, h('button', { type: 'submit' }, 'Sign in')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      busy(form, true);
      try {
        const r = await call('POST', '/api/v1/auth/dev', { email: email.value.trim() }, { auth: false });
        session.set(r.token);
        clearFlash();
        await afterSignIn();
      } catch (e) {
        flash(explain(e, 'Signing in'));
      } finally { busy(form, false); }
    });
    box.append(form);
  } else {
    box.append(h('p', {}, 'No sign-in method is turned on for people on this server. Programs can still use API keys.'));
  }
  clear(main).append(box);
  const first = box.querySelector('input');
  if (first) first.focus();
}

function loadGoogle(target) {
  const init = () => {
    window.google.accounts.id.initialize({
      client_id: state.config.googleClientId,
      callback: async (r) => {
        session.set(r.credential);
        try { await afterSignIn(); } catch (e) { flash(explain(e, 'Signing in')); }
      },
    });
    window.google.accounts.id.renderButton(target, { theme: 'outline', size: 'large' });
  };
  if (window.google && window.google.accounts) { init(); return; }
  const s = document.createElement('script');
  s.src = 'https://accounts.google.com/gsi/client';
  s.async = true;
  s.onload = init;
  s.onerror = () => flash('Google sign-in could not be loaded; check your connection.');
  document.head.appendChild(s);
}

async function afterSignIn() {
  state.me = await call('GET', '/api/v1/me');
  clear(who).append(h('span', { class: 'muted', style: null }, 'Signed in as '), h('strong', { id: 'me' }, state.me.principal));
  signoutButton.hidden = state.me.method === 'open';
  nav.hidden = false;
  conn.hidden = false;
  startWatch();
  render();
}

function signOut(message) {
  stopWatch();
  session.clear();
  state.me = null;
  state.slots.clear();
  if (window.google && window.google.accounts) window.google.accounts.id.disableAutoSelect();
  if (location.hash && location.hash !== '#/') location.hash = '#/';
  showSignIn();
  if (message) flash(message, 'ok');
}

// ---------- live watch ----------
function setConn(kind, text) {
  conn.dataset.state = kind;
  conn.textContent = text;
}

function stopWatch() {
  state.watchGeneration++;
  if (state.watchAbort) state.watchAbort.abort();
}

async function startWatch() {
  stopWatch();
  const gen = state.watchGeneration;
  const abort = new AbortController();
  state.watchAbort = abort;
  let failures = 0;
  setConn('connecting', 'Connecting…');
  while (gen === state.watchGeneration) {
    try {
      const q = state.index === null ? `?limit=${PAGE}` : `?limit=${PAGE}&index=${state.index}&wait=30s`;
      const r = await call('GET', `/api/v1/slots${q}`, undefined, { signal: abort.signal });
      if (gen !== state.watchGeneration) return;
      failures = 0;
      setConn('live', 'Live');
      const changed = state.index === null || r.index !== state.index;
      // The server's index, never one of ours: the next poll asks for exactly what it has not sent.
      state.index = r.index;
      if (changed) {
        const shownPages = await withMorePages(r, state.morePages, abort.signal);
        if (gen !== state.watchGeneration) return;
        state.slots = new Map(shownPages.slots.map((s) => [s.id, s]));
        state.next = shownPages.next;
        forgetLostLocks();
        // A lock this principal holds from another tab or process: fetch its token, so this tab offers Release.
        if (missingOwnToken(state.slots.values(), state.me.principal)) {
          try { await syncOwnLocks(); } catch { /* the next change tries again */ }
        }
        refresh();
      }
    } catch (e) {
      if (gen !== state.watchGeneration) return;
      if (e instanceof ApiError && e.status === 401) return;
      failures++;
      const wait = Math.min(30, 2 ** Math.min(failures - 1, 5));
      setConn('retrying', `Connection lost — retrying in ${wait}s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      if (gen !== state.watchGeneration) return;
      setConn('connecting', 'Reconnecting…');
      state.index = null; // start over with a full list
    }
  }
}

/** A lock token kept here is dropped once the slot is free or held under another fence. */
function forgetLostLocks() {
  for (const [id, l] of Object.entries(locks.all())) {
    const s = state.slots.get(id);
    if (!s || !holdsOf(s).some((x) => x.fence === l.fence)) locks.drop(id);
  }
}

// ---------- routing ----------
function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const m = hash.match(/^\/slots\/([^/]+)$/);
  if (m) return { view: 'slot', id: decodeURIComponent(m[1]) };
  if (hash === '/new') return { view: 'new' };
  if (hash === '/keys') return { view: 'keys' };
  return { view: 'slots' };
}

let current = null;
function render() {
  if (!state.me) return;
  const r = route();
  for (const a of nav.querySelectorAll('a')) {
    const active = a.dataset.nav === (r.view === 'slot' ? 'slots' : r.view);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  current = r;
  if (r.view === 'slots') renderList(true);
  else if (r.view === 'slot') renderSlot(r.id, true);
  else if (r.view === 'new') renderNew(main, state.me, (s) => state.slots.set(s.id, s));
  else if (r.view === 'keys') renderKeys(main);
}

/** The watch saw a change: redraw what is on screen, keeping the user's focus and typing. */
function refresh() {
  if (!current || !state.me) return;
  if (current.view === 'slots') renderList(false);
  else if (current.view === 'slot') renderSlot(current.id, false);
}

// ---------- slot list ----------
const isOwner = (s) => state.me && (state.me.admin || (s.owners || []).includes(state.me.principal));
const mine = (s) => locks.get(s.id) && holdsOf(s).some((x) => x.fence === locks.get(s.id).fence);

function holderText(lock) {
  return lock.owner === lock.principal ? lock.principal : `${lock.owner} (${lock.principal})`;
}

/** "Held by you (owner job-4711)", "Held" or "Free". */
function badgeText(s) {
  if (!s.lock) return 'Free';
  if (s.lock.principal !== state.me.principal) return 'Held';
  return s.lock.owner && s.lock.owner !== s.lock.principal ? `Held by you (owner ${s.lock.owner})` : 'Held by you';
}
const ownedByMe = (s) => !!(s.lock && s.lock.principal === state.me.principal);
const badge = {
  mine: (s) => holdsOf(s).some((l) => l.principal === state.me.principal),
  // A pool's state is how full it is (pool.js).
  el: (s) => isPool(s) ? poolSummary(s) : h('span', { class: !s.lock ? 'badge' : ownedByMe(s) ? 'badge mine' : 'badge held' }, badgeText(s)),
};

function renderList(fresh) {
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

// ---------- slot detail ----------
async function renderSlot(id, fresh) {
  let s = state.slots.get(id);
  if (!s) {
    try { s = await call('GET', `/api/v1/slots/${encodeURIComponent(id)}`); } catch (e) {
      clear(main).append(h('h1', {}, 'Slot not found'), h('p', {}, explain(e, 'Loading the slot')), h('a', { href: '#/' }, 'Back to all slots'));
      return;
    }
  }
  let history = null;
  try { history = await call('GET', `/api/v1/slots/${encodeURIComponent(id)}/history?limit=50`); } catch { history = null; }
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

/**
 * Claims the slot (in a pool: any unit, or `extra.unit`) with the durations typed in the claim form;
 * a claim that waits shows the waiting panel, whose Cancel leaves the line.
 */
function claimSlot(box, s, extra = {}) {
  const form = box && box.querySelector('#claim-form');
  if (!form) return;
  const w = parseDuration(form.querySelector('#claim-wait').value || '0');
  const t = parseDuration(form.querySelector('#claim-timeout').value);
  if (w === null || t === null) { flash('Write durations such as 300, 10m or 1h30m.'); return; }
  const body = { timeout: t, ...extra };
  const note = form.querySelector('#claim-note').value;
  if (note.trim()) body.metadata = [note];
  if (w > 0) body.wait = w;
  const abort = new AbortController();
  if (w > 0) {
    state.wait = { slot: s.id, until: new Date(Date.now() + w * 1000).toISOString(), abort, location: null };
    showWaiting(box, state.slots.get(s.id) || s);
  }
  act(form, null, 'Claiming the slot', async () => {
    try {
      const lock = await call('POST', `/api/v1/locks/${encodeURIComponent(s.id)}`, body, {
        signal: abort.signal, onPending: (loc) => { if (state.wait) state.wait.location = loc; } });
      locks.put(s.id, lock);
      await reread(s.id);
      return `You hold ${s.id}${lock.unit ? ' unit ' + lock.unit : ''} with fence ${lock.fence} until ${new Date(lock.expireAt).toLocaleTimeString()}.`;
    } catch (e) {
      if (e && e.name === 'AbortError') return 'You left the line.';
      throw e;
    } finally {
      if (state.wait && state.wait.abort === abort) state.wait = null;
      const panel = box.querySelector('#waiting');
      if (panel) panel.hidden = true;
    }
  });
}

function fillActions(box, s) {
  const timeout = durationInput('claim-timeout', s.defaultTimeout, { min: 1, max: s.maxTimeout });
  const note = h('input', { type: 'text', id: 'claim-note', maxlength: 1000, placeholder: 'what you are doing' });
  const wait = durationInput('claim-wait', 0, { min: 0, max: 86400 });
  const claim = h('form', { class: 'stack', id: 'claim-form' },
    h('div', { class: 'row' }, field('Duration', timeout, 'e.g. 300, 10m, 1h'), field('Wait in line', wait, '0 = do not wait; e.g. 30s, 10m, 2h')),
    field('Note', note, 'shown to everyone who can see the slot'),
    h('div', {}, h('button', { type: 'submit', id: 'claim' }, 'Claim')));
  const waiting = h('section', { id: 'waiting', class: 'waiting-box', 'aria-live': 'polite', hidden: true });
  claim.addEventListener('submit', (ev) => {
    ev.preventDefault();
    claimSlot(box, s);
  });
  const extendBy = durationInput('extend-timeout', s.defaultTimeout, { min: 1, max: s.maxTimeout });
  const mineBox = h('form', { class: 'stack', id: 'mine-form' },
    h('p', { id: 'mine-text' }, 'You hold this slot.'),
    h('div', { class: 'row' }, field('Extend to (from now)', extendBy, 'e.g. 300, 10m'),
      h('button', { type: 'submit', id: 'extend' }, 'Extend'),
      h('button', { type: 'button', id: 'release', class: 'secondary' }, 'Release')));
  mineBox.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const l = locks.get(s.id);
    const t = parseDuration(extendBy.value);
    if (t === null) { flash('Write a duration such as 300, 10m or 1h.'); return; }
    act(mineBox, null, 'Extending', async () => {
      const lock = await call('PUT', `/api/v1/locks/${encodeURIComponent(s.id)}/${encodeURIComponent(l.token)}`, { timeout: t });
      await reread(s.id);
      return `Extended until ${new Date(lock.expireAt).toLocaleTimeString()}.`;
    });
  });
  mineBox.querySelector('#release').addEventListener('click', () => {
    const l = locks.get(s.id);
    act(mineBox, null, 'Releasing', async () => {
      await call('DELETE', `/api/v1/locks/${encodeURIComponent(s.id)}/${encodeURIComponent(l.token)}`);
      locks.drop(s.id);
      await reread(s.id);
      return `Released ${s.id}.`;
    });
  });
  clear(box).append(h('h2', { id: 'actions-title' }, 'Use this slot'), claim, waiting, mineBox);
  updateActions(box, s);
}

/** The waiting panel: place in line, both countdowns, and Cancel (which leaves the line). */
function showWaiting(box, s) {
  const w = state.wait;
  const panel = box.querySelector('#waiting');
  if (!w || w.slot !== s.id || !panel) return;
  fillWaiting(panel, s, state.me.principal, w.until, async () => {
    w.abort.abort(); // closing the call takes the waiter out of the line at once
    if (w.location) {
      try { await call('DELETE', w.location); } catch { /* it leaves when its polls stop */ }
    }
  });
}

/**
 * After our own change, read the slot again from the server rather than guessing: a release may
 * have handed the lock straight to a waiter. A view older than the one we have is never shown.
 */
async function reread(id) {
  try {
    const fresh = await call('GET', `/api/v1/slots/${encodeURIComponent(id)}`);
    const had = state.slots.get(id);
    if (!had || fresh.version >= had.version) state.slots.set(id, fresh);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    state.slots.delete(id);
  }
  refresh();
}

/** A bar that drains as the hold's time runs out. */
function drainBar(lock) {
  const total = Math.max(1, lock.timeout || 1);
  const bar = h('div', { class: 'drain', 'data-drain-until': lock.expireAt, 'data-drain-total': total, role: 'progressbar',
    'aria-label': 'Time left', 'aria-valuemin': 0, 'aria-valuemax': total }, h('span', {}));
  drain(bar);
  return bar;
}

function drain(bar) {
  const left = Math.max(0, (Date.parse(bar.dataset.drainUntil) - Date.now()) / 1000);
  const total = Number(bar.dataset.drainTotal);
  const pct = Math.min(100, (left / total) * 100);
  bar.firstChild.style.width = `${pct.toFixed(1)}%`;
  bar.dataset.low = pct < 20 ? 'true' : 'false';
  bar.setAttribute('aria-valuenow', String(Math.round(left)));
}

function updateActions(box, s) {
  const l = locks.get(s.id);
  const holding = !!(l && holdsOf(s).some((x) => x.fence === l.fence));
  box.querySelector('#mine-form').hidden = !holding;
  // In a pool one may hold a unit and claim another.
  box.querySelector('#claim-form').hidden = (holding && !isPool(s)) || !!(state.wait && state.wait.slot === s.id);
  box.querySelector('#claim').textContent = isPool(s) ? 'Claim any' : s.lock ? 'Wait in line / claim' : 'Claim';
  const held = holding && holdsOf(s).find((x) => x.fence === l.fence);
  box.querySelector('#mine-text').textContent = !held ? 'You hold this slot.'
    : held.unit ? `You hold unit ${held.unit} of this pool. Owner ${held.owner}, fence ${held.fence}.`
      : `You hold this slot (owner ${held.owner}, fence ${held.fence}).`;
  showWaiting(box, s);
}

function fillAdmin(box, s) {
  const name = h('input', { type: 'text', id: 'edit-name', value: s.name || '', maxlength: 200 });
  const desc = h('textarea', { id: 'edit-description', rows: 2 });
  desc.value = s.description || '';
  const owners = h('input', { type: 'text', id: 'edit-owners', value: (s.owners || []).join(', ') });
  const members = h('input', { type: 'text', id: 'edit-members', value: (s.members || []).join(', ') });
  const def = h('input', { type: 'number', id: 'edit-default', min: 1, value: s.defaultTimeout });
  const max = h('input', { type: 'number', id: 'edit-max', min: 1, value: s.maxTimeout });
  const form = h('form', { class: 'stack', id: 'edit-form' },
    field('Name', name), field('Description', desc),
    field('Owners', owners, 'e-mail addresses, comma-separated'), field('Members', members, 'e-mail addresses, comma-separated'),
    h('div', { class: 'row' }, field('Default timeout (s)', def), field('Max timeout (s)', max)),
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Save changes')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(form, null, 'Saving the slot', async () => {
      await call('PATCH', `/api/v1/slots/${encodeURIComponent(s.id)}`, {
        name: name.value, description: desc.value, owners: list(owners.value), members: list(members.value),
        defaultTimeout: Number(def.value), maxTimeout: Number(max.value),
      });
      return 'Saved.';
    });
  });
  const reason = h('input', { type: 'text', id: 'break-reason', placeholder: 'e.g. stuck job' });
  const brk = h('form', { class: 'row', id: 'break-form' }, field('Reason', reason),
    h('button', { type: 'submit', class: 'danger', id: 'break' }, 'Break the lock'));
  brk.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!confirm(`Break the lock on ${s.id}? Its holder loses it at once.`)) return;
    act(brk, null, 'Breaking the lock', async () => {
      await call('POST', `/api/v1/slots/${encodeURIComponent(s.id)}/break`, reason.value ? { reason: reason.value } : {});
      return 'The lock was broken.';
    });
  });
  const del = h('button', { type: 'button', class: 'danger', id: 'delete-slot' }, 'Delete this slot');
  del.addEventListener('click', () => {
    if (!confirm(`Delete the slot ${s.id}? Its history goes with it.`)) return;
    act(box, null, 'Deleting the slot', async () => {
      await call('DELETE', `/api/v1/slots/${encodeURIComponent(s.id)}`);
      location.hash = '#/';
      return `Deleted ${s.id}.`;
    });
  });
  clear(box).append(h('h2', { id: 'admin-title' }, 'Owner tools'), form, h('h2', {}, 'Force-release'), brk,
    h('h2', {}, 'Delete'), del);
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

start();
