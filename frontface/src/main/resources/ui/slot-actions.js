// Using a slot from its page: claim (waiting in line if asked, with Cancel), extend and release.
import { h, clear, field } from './dom.js';
import { call, locks, ApiError } from './api.js';
import { parseDuration, durationInput } from './time.js';
import { fillWaiting } from './waiting.js';
import { flash, act } from './page.js';
import { isPool, holdsOf } from './pool.js';
import { state } from './shell.js';
import { refresh } from './router.js';

/**
 * Claims the slot (in a pool: any unit, or `extra.unit`) with the durations typed in the claim form;
 * a claim that waits shows the waiting panel, whose Cancel leaves the line.
 */
export function claimSlot(box, s, extra = {}) {
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

export function fillActions(box, s) {
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

export function updateActions(box, s) {
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
