// Follows the whole collection with ONE long-poll at a time: GET /api/jobs for a first listing,
// then GET /api/jobs?after=CURSOR&wait=30s, which the server holds until something changes.
// No request per job, no polling timer: while nothing changes, nothing is sent.
import { request } from './api.js';

const WAIT = '30s';
const LIMIT = 1000;
// why: while many jobs move, answers come back at once; asking again at most 4 times a second
// lets the server gather the changes in between under one cursor (the eye sees no difference).
const MIN_GAP_MS = 250;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;
// why: a connection that died without closing would otherwise hold the page forever
const GUARD_MS = 45_000;

const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Exponential backoff with jitter: somewhere between half and all of min(max, first * 2^(n-1)). */
export function backoff(failures) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (failures - 1));
  return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
}

/**
 * Starts following. onListing(jobs) replaces the list (first answer, or reset: true after a
 * restart); onChanges(jobs, deletedIds) applies a change; onStatus(state, retryInMs) tells the
 * connection: 'live', 'reconnecting' or 'unauthorized'. Returns wake(): retry at once (for a new token).
 */
export function follow({ onListing, onChanges, onStatus }) {
  let cursor = null;
  let failures = 0;
  let wakeUp = () => {};
  const sleep = ms => new Promise(resolve => {
    wakeUp = resolve;
    if (ms !== Infinity) setTimeout(resolve, ms);
  });

  async function loop() {
    for (;;) {
      const sent = performance.now();
      const path = cursor === null
        ? `/api/jobs?limit=${LIMIT}`
        : `/api/jobs?after=${encodeURIComponent(cursor)}&wait=${WAIT}&limit=${LIMIT}`;
      const guard = new AbortController();
      const timer = setTimeout(() => guard.abort(), GUARD_MS);
      try {
        const answer = await request('GET', path, { signal: guard.signal });
        clearTimeout(timer);
        if (cursor === null || answer.reset) onListing(answer.jobs);
        else onChanges(answer.jobs, answer.deleted);
        cursor = answer.cursor;
        failures = 0;
        onStatus('live');
        const gap = MIN_GAP_MS - (performance.now() - sent);
        if (gap > 0) await delay(gap);
      } catch (e) {
        clearTimeout(timer);
        if (e.status === 401) {
          onStatus('unauthorized');
          await sleep(Infinity);
          continue;
        }
        if (e.status === 400) cursor = null; // why: a cursor this server cannot read; start over with a listing
        failures += 1;
        const wait = e.retryAfterMs || backoff(failures);
        onStatus('reconnecting', wait);
        await sleep(wait);
      }
    }
  }
  loop();
  return () => wakeUp();
}
