// Pools in the web UI: a slot with a capacity or named units shown as its units with their holders,
// "Claim any" and a claim of one unit, and the pool fields of the registration form.
import { h, field, countdown, duration } from './dom.js';

/** Whether the slot is a pool (more than one place, or named units). */
export const isPool = (s) => (s.capacity || 1) > 1 || (s.units && s.units.length > 0);

/** Every live hold of the slot, lowest fence first; a view from before pools has only `lock`. */
export const holdsOf = (s) => s.holds || (s.lock ? [s.lock] : []);

/** One line for the slot list: how full the pool is. */
export function poolSummary(s) {
  const held = holdsOf(s).length;
  return h('span', { class: 'pool-summary' },
    h('span', { class: held >= s.capacity ? 'badge held' : 'badge' }, `${held} of ${s.capacity} held`),
    ` · ${s.available} available`);
}

/**
 * The pool's units with their holders. Named units are listed by name, free or held; a pool without
 * names lists its holds and the free places. `claimUnit(name)` claims one named unit.
 */
export function poolUnits(s, me, claimUnit) {
  const holds = holdsOf(s);
  const who = (l) => (l.owner === l.principal ? l.principal : `${l.owner} (${l.principal})`);
  const heldRow = (label, l) => h('li', { class: 'unit held', 'data-unit': label },
    h('strong', {}, label), ' — ',
    h('span', { class: l.principal === me.principal ? 'badge mine' : 'badge held' }, l.principal === me.principal ? 'Held by you' : 'Held'),
    ' ', who(l), ` · fence ${l.fence} · `, countdown(l.expireAt));
  const rows = [];
  if (s.units && s.units.length) {
    for (const u of s.units) {
      const l = holds.find((x) => x.unit === u);
      rows.push(l ? heldRow(u, l) : h('li', { class: 'unit free', 'data-unit': u }, h('strong', {}, u), ' — ',
        h('span', { class: 'badge' }, 'Free'), ' ',
        h('button', { type: 'button', class: 'secondary claim-unit', 'data-unit': u, onclick: () => claimUnit(u) }, `Claim ${u}`)));
    }
    // A unit dropped from the list while held keeps its hold until it ends.
    for (const l of holds.filter((x) => x.unit && !s.units.includes(x.unit))) rows.push(heldRow(l.unit, l));
  } else {
    holds.forEach((l, i) => rows.push(heldRow(`Place ${i + 1}`, l)));
    for (let i = holds.length; i < s.capacity; i++) {
      rows.push(h('li', { class: 'unit free' }, h('strong', {}, `Place ${i + 1}`), ' — ', h('span', { class: 'badge' }, 'Free')));
    }
  }
  const delayed = Math.max(0, s.capacity - holds.length - s.available);
  return h('div', { id: 'pool-units' },
    h('h2', {}, `Units (${holds.length} of ${s.capacity} held, ${s.available} available)`),
    h('ul', { class: 'units' }, ...rows),
    s.lockDelay ? h('p', { class: 'muted' },
      `Lock-delay: a unit whose hold expired or was broken stays ungranted for ${duration(s.lockDelay)}`
      + (delayed ? ` (${delayed} now)` : '') + '.') : null);
}

/** The pool fields of the registration form; `apply(body)` adds what was filled in. */
export function poolFields() {
  const units = h('input', { type: 'text', id: 'new-units', placeholder: 'ci-env-1, ci-env-2, ci-env-3' });
  const capacity = h('input', { type: 'number', id: 'new-capacity', min: 1, max: 64, placeholder: '1' });
  const lockDelay = h('input', { type: 'number', id: 'new-lock-delay', min: 0, max: 3600, placeholder: '0' });
  const el = h('fieldset', { class: 'stack', id: 'pool-fields' }, h('legend', {}, 'Pool (optional)'),
    field('Units', units, 'names, comma-separated; each claim gets one of them'),
    h('div', { class: 'row' }, field('Capacity', capacity, 'holders at once, when the units have no names'),
      field('Lock-delay (s)', lockDelay, 'a unit lost by expiry or break stays ungranted this long')));
  const apply = (body) => {
    const names = units.value.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
    if (names.length) body.units = names;
    if (capacity.value) body.capacity = Number(capacity.value);
    if (lockDelay.value) body.lockDelay = Number(lockDelay.value);
  };
  return { el, apply };
}
