// What every page shares: the message line, busy buttons, running an action, copy buttons.
import { h } from './dom.js';
import { explain, ApiError } from './api.js';

const flashBox = document.getElementById('flash');

export function flash(text, kind = 'error') {
  flashBox.dataset.kind = kind;
  flashBox.textContent = text;
}
export function clearFlash() { flashBox.textContent = ''; }

export function busy(el, on) {
  for (const b of el.querySelectorAll ? el.querySelectorAll('button') : []) b.disabled = on;
  if (el.tagName === 'BUTTON') el.disabled = on;
}

export async function act(el, pending, what, fn) {
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


export function copyButton(text, label) {
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

/** Comma- or space-separated e-mail addresses as a list. */
export const list = (v) => v.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
