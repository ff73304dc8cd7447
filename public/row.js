// One job's row: built once, then only the parts that changed are written.
import * as fmt from './format.js';
import * as flow from './flow.js';

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const LABELS = { queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' };

export const shortId = id => id.slice(0, 8);

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Makes the DOM of a row; returns the row with handles on the parts that change. */
export function createRow(job) {
  const li = el('li', 'job');
  li.dataset.id = job.id;
  const head = el('div', 'job-head');
  const type = el('span', 'job-type', job.type);
  const id = el('button', 'job-id', shortId(job.id));
  id.type = 'button';
  id.dataset.action = 'copy';
  id.title = `Copy the id ${job.id}`;
  id.setAttribute('aria-label', `Copy the id of job ${shortId(job.id)}`);
  const node = el('span', 'job-node');
  const badge = el('span', 'badge');
  const created = el('time', 'job-created');
  head.append(type, id, node, badge, created);

  const bar = el('div', 'job-bar');
  const progress = el('progress');
  progress.max = 100;
  progress.setAttribute('aria-label', `Progress of ${job.type} ${shortId(job.id)}`);
  const pct = el('span', 'pct');
  bar.append(progress, pct);

  const message = el('p', 'job-message');
  const waiting = el('p', 'job-waiting');
  const times = el('p', 'job-times');
  const spent = el('span', 'elapsed');
  const left = el('span', 'eta');
  times.append(spent, left);
  const error = el('p', 'job-error');
  const attempts = flow.createAttempts();
  const result = el('details', 'job-result');
  result.append(el('summary', '', 'Result'), el('pre'));
  const log = el('details', 'job-log');
  const logNote = el('p', 'log-note');
  logNote.setAttribute('role', 'status');
  log.append(el('summary', '', 'Log'), logNote, el('pre', 'log-lines'));
  const actions = el('div', 'job-actions');
  const cancel = el('button', 'cancel', 'Cancel');
  cancel.type = 'button';
  cancel.dataset.action = 'cancel';
  const remove = el('button', 'delete', 'Delete');
  remove.type = 'button';
  remove.dataset.action = 'delete';
  const note = el('span', 'action-note');
  note.setAttribute('role', 'status');
  actions.append(cancel, remove, note);

  li.append(head, bar, message, waiting, times, error, attempts, result, log, actions);
  const row = { job: null, li, node, badge, created, progress, pct, message, waiting, spent, left, error, attempts, result, cancel, remove, note };
  render(row, job, Date.now());
  return row;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function show(node, visible) {
  if (node.hidden === visible) node.hidden = !visible;
}

/** The folded list of a batch's jobs under its parent's row, made when its first job is shown. */
export function childList(row) {
  if (row.children) return row.children;
  const fold = el('details', 'job-children');
  const summary = el('summary', '', 'Jobs of this batch');
  const ul = el('ul', 'child-jobs');
  ul.setAttribute('aria-label', `Jobs of batch ${shortId(row.job.id)}`);
  fold.append(summary, ul);
  row.li.insertBefore(fold, row.li.querySelector('.job-actions'));
  row.children = { fold, summary, ul, rows: [] };
  return row.children;
}

/** Writes what differs between the row's job and {@code job}. */
export function render(row, job, now) {
  const before = row.job;
  row.job = job;
  const r = row;
  if (before?.state !== job.state) {
    r.li.dataset.state = job.state;
    setText(r.badge, LABELS[job.state] ?? job.state);
    const done = TERMINAL.has(job.state);
    show(r.cancel, !done);
    show(r.remove, done);
    setText(r.note, '');
  }
  if (!before || before.node !== job.node) {
    setText(r.node, job.node ? `on ${job.node}` : ''); // the server names the node only while the job runs
    show(r.node, Boolean(job.node));
  }
  if (!before) {
    r.created.dateTime = job.createdAt;
    setText(r.created, fmt.when(job.createdAt));
  }
  const p = job.progress?.percent ?? 0;
  if (before?.progress?.percent !== p || before?.state !== job.state) {
    r.progress.value = p;
    setText(r.pct, fmt.percent(p));
  }
  setText(r.message, job.progress?.message ?? (job.state === 'queued' ? 'Waiting to run' : ''));
  const waits = job.waitingFor ?? [];
  setText(r.waiting, waits.length ? `Waiting for ${waits.length === 1 ? 'job' : `${waits.length} jobs:`} ${waits.map(shortId).join(', ')}` : '');
  show(r.waiting, waits.length > 0);
  if (waits.length) r.waiting.title = `Starts once these jobs succeeded: ${waits.join(', ')}`;
  const err = job.error ? job.error.message : '';
  setText(r.error, err);
  show(r.error, err !== '');
  flow.renderAttempts(r.attempts, job);
  const hasResult = job.result !== null && job.result !== undefined;
  show(r.result, hasResult);
  if (hasResult && before?.result !== job.result) setText(r.result.lastChild, JSON.stringify(job.result, null, 2));
  renderTimes(row, now);
}

/** The parts that move with the clock alone: elapsed time and the estimate of time left. */
export function renderTimes(row, now) {
  const job = row.job;
  const spent = fmt.elapsed(job, now);
  const label = job.state === 'queued' ? 'waiting' : TERMINAL.has(job.state) ? 'took' : 'elapsed';
  setText(row.spent, spent === null ? '' : `${label} ${fmt.duration(spent)}`);
  const left = fmt.timeLeft(job, now);
  setText(row.left, left === null ? '' : `about ${fmt.duration(left)} left`);
  const due = flow.dueText(job, now);
  if (due !== null && !job.progress?.message) setText(row.message, due);
}
