// Owner tools on a slot's page: edit its settings, force-release the lock, delete the slot.
import { h, clear, field } from './dom.js';
import { call } from './api.js';
import { act, list } from './page.js';

export function fillAdmin(box, s) {
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
