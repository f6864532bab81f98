// Signing in: the sign-in page (Google or dev sign-in), who is signed in, and signing out.
import { h, clear, field } from './dom.js';
import { call, signedIn, explain } from './api.js';
import { flash, clearFlash, busy } from './page.js';
import { main, conn, who, nav, signoutButton, state } from './shell.js';
import { startWatch, stopWatch } from './watch.js';
import { render } from './router.js';

export function showSignIn() {
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
        signedIn.set(r.token);
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
        signedIn.set(r.credential);
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

export async function afterSignIn() {
  state.me = await call('GET', '/api/v1/me');
  clear(who).append(h('span', { class: 'muted', style: null }, 'Signed in as '), h('strong', { id: 'me' }, state.me.principal));
  signoutButton.hidden = state.me.method === 'open';
  nav.hidden = false;
  conn.hidden = false;
  startWatch();
  render();
}

export function signOut(message) {
  stopWatch();
  signedIn.clear();
  state.me = null;
  state.slots.clear();
  if (window.google && window.google.accounts) window.google.accounts.id.disableAutoSelect();
  if (location.hash && location.hash !== '#/') location.hash = '#/';
  showSignIn();
  if (message) flash(message, 'ok');
}
