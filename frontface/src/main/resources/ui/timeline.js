// The slot's history as a timeline: a bar per hold, coloured by how it ended.
import { h } from './dom.js';
import { ago } from './time.js';

const KINDS = { released: 'released', expired: 'expired', broken: 'broken' };

/** Bars on one time axis, oldest left; the current hold runs to now. */
export function timelineBars(history, now = Date.now()) {
  const holds = [];
  if (history && history.current) {
    const c = history.current;
    holds.push({ fence: c.fence, who: c.owner, from: Date.parse(c.createdAt), to: now, kind: 'current' });
  }
  for (const e of (history ? history.history : [])) {
    holds.push({ fence: e.fence, who: e.owner, from: Date.parse(e.acquiredAt), to: Date.parse(e.endedAt), kind: KINDS[e.ended] || 'released', ended: e.ended });
  }
  if (!holds.length) return null;
  const start = Math.min(...holds.map((x) => x.from));
  const span = Math.max(1, now - start);
  const bars = holds.reverse().map((x) => {
    const left = ((x.from - start) / span) * 100;
    const width = Math.max(0.8, ((x.to - x.from) / span) * 100);
    const label = `Fence ${x.fence}: ${x.who}, ${x.kind === 'current' ? 'holding now' : x.ended}`;
    return h('div', { class: `bar ${x.kind}`, 'data-fence': x.fence, 'data-ended': x.kind, title: label, role: 'img', 'aria-label': label,
      style: `left:${left.toFixed(2)}%;width:${Math.min(width, 100 - left).toFixed(2)}%` });
  });
  return h('figure', { class: 'bars', id: 'timeline' },
    h('div', { class: 'axis' }, ...bars),
    h('figcaption', { class: 'legend' },
      h('span', { class: 'key released' }, 'released'), h('span', { class: 'key expired' }, 'expired'),
      h('span', { class: 'key broken' }, 'broken'), h('span', { class: 'key current' }, 'holding now'),
      ' · from ', ago(new Date(start).toISOString())));
}
