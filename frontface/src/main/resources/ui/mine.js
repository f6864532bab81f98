// Locks this principal holds, in every tab: the tokens come from GET /api/v1/me/locks, for this principal only.
import { call, locks } from './api.js';

/** Fetches the caller's own live locks and keeps their tokens here; answers how many there are. */
export async function syncOwnLocks() {
  const r = await call('GET', '/api/v1/me/locks');
  for (const l of r.locks) {
    const have = locks.get(l.resource);
    // In a pool several may be ours: keep the one this tab has while it lives.
    const kept = have && r.locks.some((x) => x.resource === have.resource && x.fence === have.fence);
    if (!kept) locks.put(l.resource, l);
  }
  return r.locks.length;
}

/** Whether a slot shows a lock of {@code principal} whose token this tab does not have yet. */
export function missingOwnToken(slots, principal) {
  for (const s of slots) {
    const holds = s.holds || (s.lock ? [s.lock] : []);
    if (holds.some((x) => x.principal === principal)) {
      const l = locks.get(s.id);
      if (!l || !holds.some((x) => x.fence === l.fence)) return true;
    }
  }
  return false;
}
