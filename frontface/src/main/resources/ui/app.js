// Mutexify web UI: sign-in, the live slot list, slot detail with actions, registration, API keys.
// Each page is a module (signin, watch, router, list, slot, slot-actions, slot-admin, register, keys).
import { tick, drain } from './dom.js';
import { call, signedIn, explain, whenUnauthorized, ApiError } from './api.js';
import { tickRelative } from './time.js';
import { flash, clearFlash } from './page.js';
import { signoutButton, state } from './shell.js';
import { showSignIn, afterSignIn, signOut } from './signin.js';
import { render } from './router.js';

async function start() {
  whenUnauthorized(() => { if (state.me) signOut('Your sign-in ended; sign in again.'); });
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
  if (signedIn.token() || open) {
    try {
      await afterSignIn();
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) flash(explain(e, 'Loading who you are'));
    }
  }
  showSignIn();
}

start();
