// The live slot list: a long poll of /api/v1/slots that redraws the page on every change.
import { call, locks, ApiError } from './api.js';
import { syncOwnLocks, missingOwnToken } from './mine.js';
import { holdsOf } from './pool.js';
import { PAGE, withMorePages } from './slotpages.js';
import { conn, state } from './shell.js';
import { refresh } from './router.js';

function setConn(kind, text) {
  conn.dataset.state = kind;
  conn.textContent = text;
}

export function stopWatch() {
  state.watchGeneration++;
  if (state.watchAbort) state.watchAbort.abort();
}

export async function startWatch() {
  stopWatch();
  const gen = state.watchGeneration;
  const abort = new AbortController();
  state.watchAbort = abort;
  let failures = 0;
  setConn('connecting', 'Connecting…');
  while (gen === state.watchGeneration) {
    try {
      const q = state.index === null ? `?limit=${PAGE}` : `?limit=${PAGE}&index=${state.index}&wait=30s`;
      const r = await call('GET', `/api/v1/slots${q}`, undefined, { signal: abort.signal });
      if (gen !== state.watchGeneration) return;
      failures = 0;
      setConn('live', 'Live');
      const changed = state.index === null || r.index !== state.index;
      // The server's index, never one of ours: the next poll asks for exactly what it has not sent.
      state.index = r.index;
      if (changed) {
        const shownPages = await withMorePages(r, state.morePages, abort.signal);
        if (gen !== state.watchGeneration) return;
        state.slots = new Map(shownPages.slots.map((s) => [s.id, s]));
        state.next = shownPages.next;
        forgetLostLocks();
        // A lock this principal holds from another tab or process: fetch its token, so this tab offers Release.
        if (missingOwnToken(state.slots.values(), state.me.principal)) {
          try { await syncOwnLocks(); } catch { /* the next change tries again */ }
        }
        refresh();
      }
    } catch (e) {
      if (gen !== state.watchGeneration) return;
      if (e instanceof ApiError && e.status === 401) return;
      failures++;
      const wait = Math.min(30, 2 ** Math.min(failures - 1, 5));
      setConn('retrying', `Connection lost — retrying in ${wait}s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      if (gen !== state.watchGeneration) return;
      setConn('connecting', 'Reconnecting…');
      state.index = null; // start over with a full list
    }
  }
}

/** A lock token kept here is dropped once the slot is free or held under another fence. */
function forgetLostLocks() {
  for (const [id, l] of Object.entries(locks.all())) {
    const s = state.slots.get(id);
    if (!s || !holdsOf(s).some((x) => x.fence === l.fence)) locks.drop(id);
  }
}
