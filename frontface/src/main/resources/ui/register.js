// Registering a slot: id, name, description, owners, members, timeouts, pool settings.
import { h, clear, field } from './dom.js';
import { call } from './api.js';
import { act, list } from './page.js';
import { poolFields } from './pool.js';

/** {@code onRegistered(slot)} keeps the new slot before its page opens. */
export function renderNew(main, me, onRegistered) {
  document.title = 'Register a slot — Mutexify';
  const id = h('input', { type: 'text', id: 'new-id', required: true, maxlength: 128, pattern: '[A-Za-z0-9._:\\-]+', autocomplete: 'off' });
  const name = h('input', { type: 'text', id: 'new-name', maxlength: 200 });
  const desc = h('textarea', { id: 'new-description', rows: 2 });
  const owners = h('input', { type: 'text', id: 'new-owners', value: me.principal });
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
      if (s && s.id) onRegistered(s);
      location.hash = `#/slots/${encodeURIComponent(body.id)}`;
      return `Registered ${body.id}.`;
    });
  });
  clear(main).append(h('h1', {}, 'Register a slot'), form);
  id.focus();
}
