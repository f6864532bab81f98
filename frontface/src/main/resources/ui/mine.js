// Locks this principal holds, in every tab: the tokens come from GET /api/v1/me/locks, for this principal only.
import { call, locks } from './api.js';

/** Fetches the caller's own live locks and keeps their tokens here; answers how many there are. */
export async function syncOwnLocks() {
  const r = await call('GET', '/api/v1/me/locks');
  for (const l of r.locks) {
    const have = locks.get(l.resource);
    if (!have || have.fence !== l.fence) locks.put(l.resource, l);
  }
  return r.locks.length;
}

/** Whether a slot shows a lock of {@code principal} whose token this tab does not have yet. */
export function missingOwnToken(slots, principal) {
  for (const s of slots) {
    if (s.lock && s.lock.principal === principal) {
      const l = locks.get(s.id);
      if (!l || l.fence !== s.lock.fence) return true;
    }
  }
  return false;
}
