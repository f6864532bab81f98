// Mutexify web UI: sign-in, the live slot list, slot detail with actions, registration, API keys.
import { h, clear, field, countdown, tick, when, duration } from './dom.js';
import { call, session, locks, explain, whenUnauthorized, ApiError } from './api.js';
import { isPool, holdsOf, poolSummary, poolUnits, poolFields } from './pool.js';

const main = document.getElementById('main');
const flashBox = document.getElementById('flash');
const conn = document.getElementById('conn');
const who = document.getElementById('who');
const nav = document.getElementById('nav');
const signoutButton = document.getElementById('signout');

const state = {
  config: null,
  me: null,
  slots: new Map(), // id -> slot view
  index: null,
  filter: { text: '', state: 'all' },
  watchGeneration: 0,
  watchAbort: null,
};

// ---------- messages ----------
function flash(text, kind = 'error') {
  flashBox.dataset.kind = kind;
  flashBox.textContent = text;
}
function clearFlash() { flashBox.textContent = ''; }

// ---------- sign-in ----------
async function start() {
  whenUnauthorized(() => { if (state.me) signOut('Your session ended; sign in again.'); });
  signoutButton.addEventListener('click', () => signOut());
  window.addEventListener('hashchange', () => { clearFlash(); render(); });
  setInterval(() => document.querySelectorAll('[data-expire-at]').forEach(tick), 1000);
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
      const q = state.index === null ? '' : `?index=${state.index}&wait=30s`;
      const r = await call('GET', `/api/v1/slots${q}`, undefined, { signal: abort.signal });
      if (gen !== state.watchGeneration) return;
      failures = 0;
      setConn('live', 'Live');
      const changed = state.index === null || r.index !== state.index;
      state.index = r.index;
      if (changed) {
        state.slots = new Map(r.slots.map((s) => [s.id, s]));
        forgetLostLocks();
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
  else if (r.view === 'new') renderNew();
  else if (r.view === 'keys') renderKeys();
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
    list = h('ul', { class: 'slots', id: 'slot-list', 'aria-live': 'polite', 'aria-relevant': 'additions removals' });
    clear(main).append(
      h('h1', {}, 'Lock slots'),
      h('div', { class: 'toolbar', role: 'search' }, field('Search', search), field('Show', which),
        h('a', { href: '#/new' }, 'Register a slot')),
      h('p', { id: 'slot-count', class: 'muted' }),
      list);
  }
  const text = state.filter.text.trim().toLowerCase();
  const shown = [...state.slots.values()]
    .filter((s) => state.filter.state === 'all'
      || (state.filter.state === 'mine' ? s.lock && s.lock.principal === state.me.principal : s.state === state.filter.state))
    .filter((s) => !text || [s.id, s.name, s.description, s.lock && s.lock.owner, s.lock && s.lock.principal]
      .some((v) => v && v.toLowerCase().includes(text)))
    .sort((a, b) => a.id.localeCompare(b.id));
  // A live redraw must not take the keyboard focus away from the slot link someone tabbed to.
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('li.slot');
  const focusedId = focused ? focused.dataset.slot : null;
  clear(list).append(...shown.map(slotCard));
  if (focusedId) {
    const again = [...list.querySelectorAll('li.slot')].find((li) => li.dataset.slot === focusedId);
    if (again) again.querySelector('a').focus();
  }
  const count = main.querySelector('#slot-count');
  count.textContent = state.slots.size === 0
    ? 'No slots yet. Register one, or acquire a lock over the API.'
    : `${shown.length} of ${state.slots.size} slots`;
}

function slotCard(s) {
  const held = s.state === 'held' && s.lock;
  const m = held && (s.lock.principal === state.me.principal);
  const status = isPool(s) ? [poolSummary(s)] : held
    ? [h('span', { class: m ? 'badge mine' : 'badge held' }, m ? 'Held by you' : 'Held'), ' ',
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
    rows.push(['Holder', holderText(s.lock)], ['Fence', String(s.lock.fence)], ['Expires', when(s.lock.expireAt)],
      ['Time left', countdown(s.lock.expireAt)]);
    if (s.lock.metadata && s.lock.metadata.length) rows.push(['Note', h('ul', { class: 'notes' }, ...s.lock.metadata.map((n) => h('li', { class: 'note' }, n)))]);
  } else {
    rows.push(['Fence so far', String(s.fence)]);
  }
  rows.push(['Owners', (s.owners || []).join(', ') || '—'], ['Members', (s.members || []).join(', ') || '—'],
    ['Timeouts', `default ${duration(s.defaultTimeout)}, at most ${duration(s.maxTimeout)}`]);
  const waiters = s.waiters && s.waiters.length
    ? h('ol', { id: 'waiters' }, ...s.waiters.map((w) => h('li', {}, `${holderText(w)} — waiting since ${when(w.since)}, until ${when(w.waitUntil)}`)))
    : h('p', { class: 'muted', id: 'waiters' }, 'Nobody is waiting.');
  clear(box).append(
    h('p', {}, s.lock
      ? h('span', { class: s.lock.principal === state.me.principal ? 'badge mine' : 'badge held', id: 'slot-badge' }, s.lock.principal === state.me.principal ? 'Held by you' : 'Held')
      : h('span', { class: 'badge', id: 'slot-badge' }, 'Free')),
    h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    isPool(s) ? poolUnits(s, state.me, (unit) => claimSlot(box, s, { unit })) : null,
    h('h2', {}, `Waiting (${s.waiting || 0})`), waiters);
}

/** Claims the slot (in a pool: any unit, or `extra.unit`) with the durations typed in the claim form. */
function claimSlot(el, s, extra = {}) {
  const form = main.querySelector('#claim-form');
  const w = Number((form && form.querySelector('#claim-wait').value) || 0);
  const body = { timeout: Number((form && form.querySelector('#claim-timeout').value) || s.defaultTimeout), ...extra };
  const note = form && form.querySelector('#claim-note').value;
  if (note && note.trim()) body.metadata = [note];
  if (w > 0) body.wait = w;
  act(el, w > 0 ? `Waiting in line for up to ${w}s…` : null, 'Claiming the slot', async () => {
    const lock = await call('POST', `/api/v1/locks/${encodeURIComponent(s.id)}`, body);
    locks.put(s.id, lock);
    applyLock(lock);
    return `You hold ${s.id}${lock.unit ? ' unit ' + lock.unit : ''} with fence ${lock.fence} until ${new Date(lock.expireAt).toLocaleTimeString()}.`;
  });
}

function fillActions(box, s) {
  const timeout = h('input', { type: 'number', id: 'claim-timeout', min: 1, max: s.maxTimeout, value: s.defaultTimeout, required: true });
  const note = h('input', { type: 'text', id: 'claim-note', maxlength: 1000, placeholder: 'what you are doing' });
  const wait = h('input', { type: 'number', id: 'claim-wait', min: 0, max: 60, value: 0 });
  const claim = h('form', { class: 'stack', id: 'claim-form' },
    h('div', { class: 'row' }, field('Duration (seconds)', timeout), field('Wait in line (seconds)', wait, '0 = do not wait, up to 60')),
    field('Note', note, 'shown to everyone who can see the slot'),
    h('div', {}, h('button', { type: 'submit', id: 'claim' }, 'Claim')));
  claim.addEventListener('submit', (ev) => {
    ev.preventDefault();
    claimSlot(claim, s);
  });
  const extendBy = h('input', { type: 'number', id: 'extend-timeout', min: 1, max: s.maxTimeout, value: s.defaultTimeout, required: true });
  const mineBox = h('form', { class: 'stack', id: 'mine-form' },
    h('p', { id: 'mine-text' }, 'You hold this slot.'),
    h('div', { class: 'row' }, field('Extend to (seconds from now)', extendBy),
      h('button', { type: 'submit', id: 'extend' }, 'Extend'),
      h('button', { type: 'button', id: 'release', class: 'secondary' }, 'Release')));
  mineBox.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const l = locks.get(s.id);
    act(mineBox, null, 'Extending', async () => {
      const lock = await call('PUT', `/api/v1/locks/${encodeURIComponent(s.id)}/${encodeURIComponent(l.token)}`, { timeout: Number(extendBy.value) });
      applyLock(lock);
      return `Extended until ${new Date(lock.expireAt).toLocaleTimeString()}.`;
    });
  });
  mineBox.querySelector('#release').addEventListener('click', () => {
    const l = locks.get(s.id);
    act(mineBox, null, 'Releasing', async () => {
      await call('DELETE', `/api/v1/locks/${encodeURIComponent(s.id)}/${encodeURIComponent(l.token)}`);
      applyLock(null, s.id);
      locks.drop(s.id);
      return `Released ${s.id}.`;
    });
  });
  clear(box).append(h('h2', { id: 'actions-title' }, 'Use this slot'), claim, mineBox);
  updateActions(box, s);
}

/** Our own change is shown at once, before the watch brings it back. */
function applyLock(lock, id) {
  const slotId = lock ? lock.resource : id;
  const s = state.slots.get(slotId);
  if (s) {
    const pub = lock ? { ...lock } : null;
    if (pub) delete pub.token;
    if (isPool(s)) {
      // A pool keeps its other holds; a release takes out the one this browser held.
      const own = locks.get(slotId);
      const others = holdsOf(s).filter((x) => (pub ? x.fence !== pub.fence : !own || x.fence !== own.fence));
      const holds = pub ? [...others, pub] : others;
      state.slots.set(slotId, { ...s, holds, lock: holds[0] || null, state: holds.length ? 'held' : 'free',
        fence: pub ? Math.max(s.fence, pub.fence) : s.fence });
    } else {
      state.slots.set(slotId, { ...s, lock: pub, state: lock ? 'held' : 'free', fence: lock ? lock.fence : s.fence });
    }
  }
  refresh();
}

function updateActions(box, s) {
  const l = locks.get(s.id);
  const holding = !!(l && holdsOf(s).some((x) => x.fence === l.fence));
  box.querySelector('#mine-form').hidden = !holding;
  box.querySelector('#claim-form').hidden = holding;
  box.querySelector('#claim').textContent = isPool(s) ? 'Claim any' : s.lock ? 'Wait in line / claim' : 'Claim';
  const held = holding && holdsOf(s).find((x) => x.fence === l.fence);
  box.querySelector('#mine-text').textContent = held && held.unit ? `You hold unit ${held.unit} of this pool.` : 'You hold this slot.';
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

const list = (v) => v.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

function fillHistory(box, history) {
  const items = [];
  const live = history ? history.holds || (history.current ? [history.current] : []) : [];
  for (const c of live) {
    items.push(h('li', { class: 'current hold' }, h('strong', {}, `Fence ${c.fence}`), c.unit ? ` (${c.unit})` : '',
      ` — ${holderText(c)}, since ${when(c.createdAt)}, holding now`));
  }
  for (const e of (history ? history.history : [])) {
    items.push(h('li', { class: 'hold' }, h('strong', {}, `Fence ${e.fence}`), e.unit ? ` (${e.unit})` : '',
      ` — ${holderText(e)}, ${when(e.acquiredAt)} → ${when(e.endedAt)} (${e.ended}${e.endedBy ? ' by ' + e.endedBy : ''})`));
  }
  clear(box).append(h('h2', { id: 'history-title' }, 'History'),
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

function copyButton(text, label) {
  const b = h('button', { type: 'button', class: 'secondary' }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = 'Copied';
    } catch {
      b.textContent = 'Select the text and copy it';
    }
    setTimeout(() => { b.textContent = label; }, 2000);
  });
  return b;
}

// ---------- register ----------
function renderNew() {
  document.title = 'Register a slot — Mutexify';
  const id = h('input', { type: 'text', id: 'new-id', required: true, maxlength: 128, pattern: '[A-Za-z0-9._:\\-]+', autocomplete: 'off' });
  const name = h('input', { type: 'text', id: 'new-name', maxlength: 200 });
  const desc = h('textarea', { id: 'new-description', rows: 2 });
  const owners = h('input', { type: 'text', id: 'new-owners', value: state.me.principal });
  const members = h('input', { type: 'text', id: 'new-members' });
  const def = h('input', { type: 'number', id: 'new-default', min: 1, placeholder: '60' });
  const max = h('input', { type: 'number', id: 'new-max', min: 1, placeholder: '86400' });
  const pool = poolFields();
  const form = h('form', { class: 'stack', id: 'new-form' },
    field('Slot id', id, 'letters, digits and . _ : - (up to 128)'), field('Name', name), field('Description', desc),
    field('Owners', owners, 'e-mail addresses, comma-separated; they may change, break and delete it'),
    field('Members', members, 'e-mail addresses, comma-separated; they may see and claim it'),
    h('div', { class: 'row' }, field('Default timeout (s)', def), field('Max timeout (s)', max)),
    pool.el,
    h('div', {}, h('button', { type: 'submit', id: 'register' }, 'Register')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { id: id.value.trim(), owners: list(owners.value), members: list(members.value) };
    if (name.value.trim()) body.name = name.value;
    if (desc.value.trim()) body.description = desc.value;
    if (def.value) body.defaultTimeout = Number(def.value);
    if (max.value) body.maxTimeout = Number(max.value);
    pool.apply(body);
    act(form, null, 'Registering the slot', async () => {
      const s = await call('POST', '/api/v1/slots', body);
      if (s && s.id) state.slots.set(s.id, s);
      location.hash = `#/slots/${encodeURIComponent(body.id)}`;
      return `Registered ${body.id}.`;
    });
  });
  clear(main).append(h('h1', {}, 'Register a slot'), form);
  id.focus();
}

// ---------- API keys ----------
async function renderKeys() {
  document.title = 'API keys — Mutexify';
  const name = h('input', { type: 'text', id: 'key-name', required: true, maxlength: 100, placeholder: 'ci-deploy' });
  const days = h('input', { type: 'number', id: 'key-days', min: 1, max: 3650, placeholder: 'never' });
  const secretBox = h('div', { id: 'key-secret-box' });
  const table = h('div', { id: 'key-list' });
  const form = h('form', { class: 'stack', id: 'key-form' },
    h('div', { class: 'row' }, field('Name', name), field('Expires in (days)', days, 'empty: never'),
      h('button', { type: 'submit', id: 'create-key' }, 'Create key')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { name: name.value.trim() };
    if (days.value) body.expiresIn = Number(days.value) * 86400;
    act(form, null, 'Creating the key', async () => {
      const k = await call('POST', '/api/v1/keys', body);
      clear(secretBox).append(h('section', { class: 'panel', 'aria-labelledby': 'secret-title' },
        h('h2', { id: 'secret-title' }, `Your new key “${k.name}”`),
        h('p', {}, 'Copy it now: it is shown this once and cannot be shown again.'),
        h('p', { class: 'secret', id: 'key-secret' }, k.key), copyButton(k.key, 'Copy key')));
      name.value = '';
      await loadKeys(table);
      return null;
    });
  });
  clear(main).append(h('h1', {}, 'API keys'),
    h('p', { class: 'muted' }, 'Keys let scripts and CI act as you: send one as Authorization: Bearer <key>.'),
    form, secretBox, h('h2', {}, 'Your keys'), table);
  await loadKeys(table);
}

async function loadKeys(table) {
  let keys;
  try { keys = (await call('GET', '/api/v1/keys')).keys; } catch (e) { flash(explain(e, 'Loading your keys')); return; }
  if (!keys.length) { clear(table).append(h('p', { class: 'muted' }, 'You have no API keys.')); return; }
  const rows = keys.map((k) => {
    const revoke = h('button', { type: 'button', class: 'danger', 'data-key': k.id, 'aria-label': `Revoke key ${k.name}` }, 'Revoke');
    revoke.addEventListener('click', () => {
      if (!confirm(`Revoke the key “${k.name}”? Scripts using it stop working at once.`)) return;
      act(revoke, null, 'Revoking the key', async () => {
        await call('DELETE', `/api/v1/keys/${encodeURIComponent(k.id)}`);
        await loadKeys(table);
        return `Revoked “${k.name}”.`;
      });
    });
    return h('tr', { 'data-key': k.id }, h('td', { 'data-label': 'Name' }, k.name), h('td', {}, h('code', {}, k.id.slice(0, 8) + '…')),
      h('td', {}, when(k.createdAt)), h('td', {}, k.expiresAt ? when(k.expiresAt) : 'never'),
      h('td', {}, k.lastUsedAt ? when(k.lastUsedAt) : 'never'), h('td', {}, revoke));
  });
  clear(table).append(h('table', { id: 'keys-table' },
    h('thead', {}, h('tr', {}, ...['Name', 'Id', 'Created', 'Expires', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows)));
}

// ---------- helpers ----------
function busy(el, on) {
  for (const b of el.querySelectorAll ? el.querySelectorAll('button') : []) b.disabled = on;
  if (el.tagName === 'BUTTON') el.disabled = on;
}

async function act(el, pending, what, fn) {
  busy(el, true);
  if (pending) flash(pending, 'ok'); else clearFlash();
  try {
    const msg = await fn();
    if (msg) flash(msg, 'ok');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) flash(explain(e, what));
  } finally {
    busy(el, false);
  }
}

start();
