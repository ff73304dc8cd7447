// Follows the whole collection with ONE stream where the browser has EventSource (GET /api/jobs
// with Accept: text/event-stream: a listing, then every change as it happens), else, or when the
// stream fails (a proxy that buffers it, a server that refuses it), with ONE long-poll at a time:
// GET /api/jobs for a first listing, then GET /api/jobs?after=CURSOR&wait=30s, which the server
// holds until something changes. Both carry the same cursor, so switching loses nothing; no
// request per job, no polling timer: while nothing changes, nothing is sent.
import { request, hasToken } from './api.js';

const WAIT = '30s';
const LIMIT = 1000;
// why: while many jobs move, answers come back at once; asking again at most 4 times a second
// lets the server gather the changes in between under one cursor (the eye sees no difference).
const MIN_GAP_MS = 250;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;
// why: a connection that died without closing would otherwise hold the page forever
const GUARD_MS = 45_000;
// why: the server sends the stream's first event at once; one held back this long is a proxy that buffers
const STREAM_FIRST_EVENT_MS = 5_000;
// why: changes that arrive together are shown together, as one long-poll answer would show them
const STREAM_FLUSH_MS = 50;

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
  let polling = false;
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
  /** The long-poll from the cursor the stream reached: what the user sees goes on unchanged. */
  function fallBack() {
    if (polling) return;
    polling = true;
    loop();
  }

  function stream() {
    const path = cursor === null ? `/api/jobs?limit=${LIMIT}` : `/api/jobs?limit=${LIMIT}&after=${encodeURIComponent(cursor)}`;
    const source = new EventSource(path);
    let got = false;
    let jobs = new Map();
    let deleted = new Set();
    let flushTimer = null;
    const flush = () => {
      clearTimeout(flushTimer);
      flushTimer = null;
      if (jobs.size === 0 && deleted.size === 0) return;
      const changed = [...jobs.values()];
      const gone = [...deleted];
      jobs = new Map();
      deleted = new Set();
      onChanges(changed, gone);
    };
    const heard = event => {
      if (!got) clearTimeout(firstTimer);
      got = true;
      if (event.lastEventId) cursor = event.lastEventId;
      onStatus('live');
    };
    const stop = () => {
      clearTimeout(firstTimer);
      source.close();
      flush();
      fallBack();
    };
    const firstTimer = setTimeout(() => { if (!got) stop(); }, STREAM_FIRST_EVENT_MS);
    source.addEventListener('reset', event => {
      const listing = JSON.parse(event.data);
      jobs = new Map();
      deleted = new Set();
      onListing(listing.jobs);
      heard(event);
    });
    source.addEventListener('job', event => {
      const job = JSON.parse(event.data);
      deleted.delete(job.id);
      jobs.set(job.id, job);
      if (flushTimer === null) flushTimer = setTimeout(flush, STREAM_FLUSH_MS);
      heard(event);
    });
    source.addEventListener('deleted', event => {
      const { id } = JSON.parse(event.data);
      jobs.delete(id);
      deleted.add(id);
      if (flushTimer === null) flushTimer = setTimeout(flush, STREAM_FLUSH_MS);
      heard(event);
    });
    source.addEventListener('open', () => { if (got) onStatus('live'); });
    source.addEventListener('error', () => {
      // why: before its first event, or refused (429, 503, 401: the EventSource gives up), the stream
      // failed: the long-poll takes over, with its backoff and Retry-After; after a working stream
      // ended (its --max-stream, a restart), the EventSource reconnects by itself with Last-Event-ID
      if (!got || source.readyState === EventSource.CLOSED) stop();
      else onStatus('reconnecting', 1000);
    });
  }

  if (typeof EventSource === 'function' && !hasToken()) stream();
  else fallBack();
  return () => wakeUp();
}
