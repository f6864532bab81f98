// Builds DOM nodes. Strings become text nodes, never markup: whatever people typed is shown as text.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A labelled form field: the label wraps the control, so it is announced with it. */
export function field(label, control, hint) {
  return h('label', {}, label, hint ? h('span', { class: 'hint' }, hint) : null, control);
}

export function duration(seconds) {
  if (seconds <= 0) return '0s';
  const d = Math.floor(seconds / 86400), hh = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60), s = Math.floor(seconds % 60);
  if (d) return `${d}d ${hh}h`;
  if (hh) return `${hh}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A span that counts down to {@code iso}; the app's ticker updates every such span each second. */
export function countdown(iso) {
  const el = h('span', { class: 'countdown', 'data-expire-at': iso });
  tick(el);
  return el;
}

export function tick(el) {
  const left = (Date.parse(el.dataset.expireAt) - Date.now()) / 1000;
  el.textContent = left > 0 ? duration(Math.ceil(left)) + ' left' : 'expiring…';
}

/** A bar that drains as the hold's time runs out. */
export function drainBar(lock) {
  const total = Math.max(1, lock.timeout || 1);
  const bar = h('div', { class: 'drain', 'data-drain-until': lock.expireAt, 'data-drain-total': total, role: 'progressbar',
    'aria-label': 'Time left', 'aria-valuemin': 0, 'aria-valuemax': total }, h('span', {}));
  drain(bar);
  return bar;
}

export function drain(bar) {
  const left = Math.max(0, (Date.parse(bar.dataset.drainUntil) - Date.now()) / 1000);
  const total = Number(bar.dataset.drainTotal);
  const pct = Math.min(100, (left / total) * 100);
  bar.firstChild.style.width = `${pct.toFixed(1)}%`;
  bar.dataset.low = pct < 20 ? 'true' : 'false';
  bar.setAttribute('aria-valuenow', String(Math.round(left)));
}
