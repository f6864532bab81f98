// Talks to the REST API: the bearer token lives in sessionStorage, as do the tokens of locks taken here.
const TOKEN = 'mutexify.token';
const LOCKS = 'mutexify.locks';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.error || '';
  }
}

export const signedIn = {
  token: () => sessionStorage.getItem(TOKEN),
  set: (t) => sessionStorage.setItem(TOKEN, t),
  clear: () => { sessionStorage.removeItem(TOKEN); sessionStorage.removeItem(LOCKS); },
};

export const locks = {
  all() {
    try { return JSON.parse(sessionStorage.getItem(LOCKS) || '{}'); } catch { return {}; }
  },
  get(slot) { return this.all()[slot] || null; },
  put(slot, lock) {
    const a = this.all();
    a[slot] = { token: lock.token, fence: lock.fence };
    sessionStorage.setItem(LOCKS, JSON.stringify(a));
  },
  drop(slot) {
    const a = this.all();
    delete a[slot];
    sessionStorage.setItem(LOCKS, JSON.stringify(a));
  },
};

let onUnauthorized = () => {};
export function whenUnauthorized(fn) { onUnauthorized = fn; }

/** Sends a call; answers the parsed body (null when empty) or throws ApiError. */
export async function call(method, path, body, { signal, auth = true, onPending } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const t = signedIn.token();
  if (auth && t) headers.Authorization = `Bearer ${t}`;
  if (method !== 'GET') headers['Idempotency-Key'] = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
  let data = null;
  const text = await res.text();
  if (text) { try { data = JSON.parse(text); } catch { data = { message: text }; } }
  if (res.status === 401 && auth) {
    onUnauthorized();
    throw new ApiError(401, data);
  }
  if (res.status === 202 && res.headers.get('Location')) {
    if (onPending) onPending(res.headers.get('Location'));
    return follow(res.headers.get('Location'), signal);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * No answer yet (a slow Lockkeeper, or a wait longer than one call): long-poll the request until
 * its answer is there. Each poll also keeps a long wait in line; stopping (signal) lets it go.
 */
async function follow(location, signal) {
  for (let i = 0; i < 100000; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250));
    const r = await fetch(`${location}?wait=20s`, { headers: { Authorization: `Bearer ${signedIn.token()}` }, signal, cache: 'no-store' });
    if (r.status === 202) continue;
    const text = await r.text();
    const data = text ? JSON.parse(text) : null;
    if (!r.ok) throw new ApiError(r.status, data);
    return data;
  }
  throw new ApiError(504, { message: 'the server has not answered yet; look at the slot again in a moment' });
}

/** A message for people: what went wrong and what they can do. */
export function explain(e, what) {
  if (!(e instanceof ApiError)) return `${what} failed: the server could not be reached (${e.message}).`;
  const m = e.body.message || e.message;
  switch (e.status) {
    case 409: {
      if (e.body.principal) {
        const until = e.body.expireAt ? ` until ${new Date(e.body.expireAt).toLocaleTimeString()}` : '';
        return `${what}: the slot is held by ${e.body.holder} (${e.body.principal})${until}. Wait in line to get it next.`;
      }
      return `${what}: conflict — ${m}`;
    }
    case 403: return `${what}: you are not allowed to do that — ${m}`;
    case 404: return `${what}: ${m}`;
    case 400: return `${what}: ${m}`;
    case 429: return `${what}: too many changes at once; try again in a moment.`;
    default: return `${what} failed (${e.status}): ${m}`;
  }
}
