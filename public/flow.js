// When and how a job runs: its due time while it waits ("starts in 4 min"), and its attempts
// with the errors of the earlier ones.
const relative = new Intl.RelativeTimeFormat(undefined, { style: 'long', numeric: 'always' });

/** A time ahead, in ms, rounded up to its largest unit: "in 40 seconds", "in 4 minutes", "in 2 hours". */
export function startsIn(ms) {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return relative.format(s, 'second');
  if (s < 3600) return relative.format(Math.ceil(s / 60), 'minute');
  if (s < 172800) return relative.format(Math.round(s / 3600), 'hour');
  return relative.format(Math.round(s / 86400), 'day');
}

/** What a queued job with a due time says while it waits; null for any other job. */
export function dueText(job, now) {
  if (job.state !== 'queued' || !job.runAt) return null;
  const ms = Date.parse(job.runAt) - now;
  const again = job.errors?.length ? 'Next attempt' : 'Starts';
  return ms > 0 ? `${again} ${startsIn(ms)}` : `${again} now`;
}

/** The folded list of attempts: built once per row. */
export function createAttempts() {
  const box = document.createElement('details');
  box.className = 'job-attempts';
  box.append(document.createElement('summary'), document.createElement('ol'));
  box.hidden = true;
  return box;
}

/** Shows the attempt count and the earlier attempts' errors once there are any. */
export function renderAttempts(box, job) {
  const errors = job.errors ?? [];
  box.hidden = errors.length === 0;
  if (errors.length === 0) return;
  const of = job.retry ? ` of ${job.retry.maxAttempts}` : '';
  const which = job.state === 'queued' ? `Next: attempt ${errors.length + 1}` : `Attempt ${job.attempt}`;
  const summary = `${which}${of} · ${errors.length} earlier ${errors.length === 1 ? 'error' : 'errors'}`;
  if (box.firstChild.textContent !== summary) box.firstChild.textContent = summary;
  const list = box.lastChild;
  if (list.childElementCount === errors.length) return;
  list.replaceChildren(...errors.map(e => {
    const li = document.createElement('li');
    li.value = e.attempt;
    li.textContent = `${e.error?.message ?? ''} (${e.error?.type ?? 'error'})`;
    return li;
  }));
}
