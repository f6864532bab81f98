// Times and durations as people read and type them: "4 m ago" with the exact time on hover, "10m" in a field.
import { h } from './dom.js';

/** "just now", "4 m ago", "in 3 h": a time relative to now. */
export function relative(iso, now = Date.now()) {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const a = Math.abs(s);
  let text;
  if (a < 10) return 'just now';
  if (a < 60) text = `${a} s`;
  else if (a < 3600) text = `${Math.round(a / 60)} m`;
  else if (a < 86400) text = `${Math.round(a / 3600)} h`;
  else text = `${Math.round(a / 86400)} d`;
  return s < 0 ? `${text} ago` : `in ${text}`;
}

/** A <time> showing the relative time, the exact one on hover; the app's ticker keeps it current. */
export function ago(iso) {
  if (!iso) return '';
  const exact = new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return h('time', { datetime: iso, title: exact, 'data-relative': iso }, relative(iso));
}

export function tickRelative(el) {
  el.textContent = relative(el.dataset.relative);
}

/**
 * Seconds from what someone typed: "90", "90s", "10m", "1h30m", "2d". Null when it does not read
 * as a duration, so the form can say so instead of sending nonsense.
 */
export function parseDuration(text) {
  const t = String(text).trim().toLowerCase().replace(/\s+/g, '');
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  const m = t.match(/^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?$/);
  if (!m || !m.slice(1).some(Boolean)) return null;
  const [d, hh, mm, ss] = m.slice(1).map((x) => Number(x || 0));
  return d * 86400 + hh * 3600 + mm * 60 + ss;
}

/** A text field for a duration: accepts 90, 90s, 10m, 1h30m; checks itself as one types. */
export function durationInput(id, value, { min = 0, max } = {}) {
  const el = h('input', { type: 'text', id, value: String(value), inputmode: 'text', autocomplete: 'off',
    spellcheck: 'false', pattern: '\\s*(\\d+|(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?)\\s*', class: 'duration' });
  el.addEventListener('input', () => {
    const s = parseDuration(el.value);
    el.setCustomValidity(s === null ? 'Write a duration such as 90, 90s, 10m or 1h30m'
      : s < min ? `At least ${min}s` : max !== undefined && s > max ? `At most ${max}s` : '');
  });
  return el;
}
