// The API keys page: create a key (its secret shown once), list, revoke. Reads well on a phone.
import { h, clear, field } from './dom.js';
import { call, explain } from './api.js';
import { ago } from './time.js';
import { flash, act, copyButton } from './page.js';

export async function renderKeys(main) {
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
    return h('tr', { 'data-key': k.id }, h('td', { 'data-label': 'Name' }, k.name),
      h('td', { 'data-label': 'Id' }, h('code', {}, k.id.slice(0, 8) + '…')),
      h('td', { 'data-label': 'Created' }, ago(k.createdAt)), h('td', { 'data-label': 'Expires' }, k.expiresAt ? ago(k.expiresAt) : 'never'),
      h('td', { 'data-label': 'Last used' }, k.lastUsedAt ? ago(k.lastUsedAt) : 'never'), h('td', { 'data-label': '' }, revoke));
  });
  clear(table).append(h('table', { id: 'keys-table', class: 'cards-on-phone' },
    h('thead', {}, h('tr', {}, ...['Name', 'Id', 'Created', 'Expires', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows)));
}
