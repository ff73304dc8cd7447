// A job's log, live while its card's Log is open: ONE long-poll at a time,
// GET /api/jobs/{id}/log?after=N&wait=30s, for the one open card only. Opening another card's
// Log closes this one, and closing it aborts its request at once.
import { request } from './api.js';
import { backoff } from './watch.js';

const WAIT = '30s';
const KEEP = 1000; // why: lines shown per card; the page stays light whatever a job prints
const MIN_GAP_MS = 250;
const GUARD_MS = 45_000;

const delay = (ms, signal) => new Promise(resolve => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

export class LogPanel {
  /** @param isTerminal (id) => whether the list last saw the job terminal */
  constructor(listEl, isTerminal) {
    this.isTerminal = isTerminal;
    this.open = null; // { details, abort }
    // why: toggle does not bubble, but a capturing listener on the list hears every card's
    listEl.addEventListener('toggle', event => {
      const details = event.target;
      if (!details.classList?.contains('job-log')) return;
      if (details.open) this.show(details);
      else if (this.open?.details === details) this.close();
    }, true);
  }

  show(details) {
    if (this.open) {
      const other = this.open.details;
      this.close();
      other.open = false;
    }
    const abort = new AbortController();
    this.open = { details, abort };
    const out = details.querySelector('.log-lines');
    const note = details.querySelector('.log-note');
    out.replaceChildren();
    note.textContent = 'Waiting for lines…';
    this.follow(details.closest('li').dataset.id, out, note, abort.signal);
  }

  close() {
    this.open?.abort.abort();
    this.open = null;
  }

  async follow(id, out, note, signal) {
    let after = 0;
    let failures = 0;
    while (!signal.aborted && out.isConnected) {
      const sent = performance.now();
      const ended = this.isTerminal(id); // why: read before asking; lines are all stored before the end is
      // why: a connection that died without closing would otherwise hold the card forever
      const guard = new AbortController();
      const timer = setTimeout(() => guard.abort(), GUARD_MS);
      try {
        const page = await request('GET', `/api/jobs/${encodeURIComponent(id)}/log?after=${after}&wait=${WAIT}`,
          { signal: AbortSignal.any([signal, guard.signal]) });
        clearTimeout(timer);
        failures = 0;
        this.append(out, page.lines);
        after = page.next;
        const shown = out.childElementCount;
        note.textContent = page.dropped > 0 ? `${page.dropped} earlier lines are no longer kept` : shown === 0 ? 'No lines yet' : '';
        if (page.lines.length === 0 && ended) {
          if (shown === 0) note.textContent = 'This job logged nothing';
          return;
        }
        const gap = MIN_GAP_MS - (performance.now() - sent);
        if (gap > 0) await delay(gap, signal);
      } catch (e) {
        clearTimeout(timer);
        if (signal.aborted) return;
        if (e.status === 404) {
          note.textContent = 'This job is gone';
          return;
        }
        failures += 1;
        note.textContent = 'Reconnecting…';
        await delay(e.retryAfterMs || backoff(failures), signal);
      }
    }
  }

  append(out, lines) {
    for (const line of lines) {
      const span = document.createElement('span');
      span.className = `log-line log-${line.stream}`;
      span.textContent = `${line.text}\n`;
      out.append(span);
    }
    while (out.childElementCount > KEEP) out.firstElementChild.remove();
    if (lines.length > 0) out.scrollTop = out.scrollHeight;
  }
}
