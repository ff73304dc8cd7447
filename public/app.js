// The page: forms to start jobs, one live list of every job, kept current by one stream (or one long-poll), and
// for admins the nodes that run them.
import { api, setToken } from './api.js';
import { follow } from './watch.js';
import { JobList, FILTERS } from './list.js';
import { renderForms, showError } from './forms.js';
import { duration, number } from './format.js';
import { shortId, TERMINAL } from './row.js';
import { LogPanel } from './log.js';
import { NodesPanel } from './nodes.js';
import { SchedulesPanel } from './schedules.js';

const $ = id => document.getElementById(id);
const conn = $('conn');
const listEl = $('jobs');
let typesLoaded = false;
const nodes = new NodesPanel($('nodes'), $('node-rows'));
const schedules = new SchedulesPanel($('schedules'), $('schedule-rows'));

function setConnection(state, retryInMs) {
  if (state === 'live' && conn.dataset.state === 'live') return; // why: a live region re-reads what is rewritten
  conn.dataset.state = state;
  document.body.dataset.conn = state; // why: the list dims while it may be out of date
  conn.textContent = state === 'live' ? 'Live'
    : state === 'unauthorized' ? 'Needs a token'
    : `Reconnecting… next try in ${duration(retryInMs)}`;
  $('token-form').hidden = state !== 'unauthorized';
  if (state === 'unauthorized') {
    $('token').focus();
    if (!typesLoaded) $('forms').textContent = 'Enter the API token above to start jobs.';
  }
  if (state === 'live' && !typesLoaded) loadTypes();
  if (state === 'live') nodes.start(); // why: once per return to live; the early return above skips live after live
  else if (state === 'unauthorized') nodes.hide();
  else nodes.stop();
  if (state === 'live') schedules.start();
  else if (state === 'unauthorized') schedules.hide();
  else schedules.stop();
}

// Filters: one attribute on the list; CSS hides the other rows, so switching costs no re-render.
const filterButtons = new Map();
for (const [key, label] of FILTERS) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.filter = key;
  b.setAttribute('aria-pressed', String(key === 'all'));
  b.append(label, ' ', Object.assign(document.createElement('span'), { className: 'count' }));
  b.addEventListener('click', () => {
    listEl.dataset.filter = key;
    for (const [k, other] of filterButtons) other.setAttribute('aria-pressed', String(k === key));
    showEmpty(list.counts());
  });
  filterButtons.set(key, b);
  $('filters').append(b);
}

function showEmpty(counts) {
  const key = listEl.dataset.filter;
  $('empty').hidden = counts[key] > 0;
  if (key !== 'all' && counts[key] === 0) $('empty').textContent = 'No jobs in this state.';
  else $('empty').textContent = 'No jobs yet. Start one here, or with curl -X POST /api/jobs.';
}

// A card's Log, when open, follows that one job's log; at most one is open at a time.
new LogPanel(listEl, id => TERMINAL.has(list.get(id)?.state));

const list = new JobList(listEl, counts => {
  document.title = counts.running > 0 ? `(${number(counts.running)} running) Jobline` : 'Jobline';
  for (const [key, b] of filterButtons) b.querySelector('.count').textContent = number(counts[key]);
  showEmpty(counts);
});

async function loadTypes() {
  typesLoaded = true;
  try {
    const types = await api.types();
    renderForms($('forms'), types, start);
  } catch (e) {
    typesLoaded = false;
    if (e?.status === 401) return; // why: the token prompt takes over; the next live state loads them
    // why: a connection that stays live never turns live again, so a failed load tries again by itself
    setTimeout(() => { if (!typesLoaded && conn.dataset.state === 'live') loadTypes(); }, 1000);
  }
}

/** Starts a job; a chosen file goes with it: in the one multipart request when its param is upload, else uploaded first. */
async function submitWith(type, params, files, status) {
  const names = Object.keys(files);
  if (names.length === 0) return api.submit(type, params);
  status.textContent = 'Uploading…';
  if (names.length === 1 && names[0] === 'upload') return api.submitWithFile(type, params, files.upload);
  for (const name of names) params[name] = (await api.upload(files[name])).id;
  return api.submit(type, params);
}

async function start(type, params, form, status, files = {}) {
  try {
    const job = await submitWith(type, params, files, status);
    list.apply([job], []);
    status.textContent = `Started ${type} ${shortId(job.id)}`;
  } catch (e) {
    status.textContent = '';
    showError(form, e.status ? e.message : 'The server cannot be reached; try again in a moment.');
  }
}

// Row buttons, by delegation: one listener for any number of rows.
listEl.addEventListener('click', async event => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const li = button.closest('li');
  const id = li.dataset.id;
  const note = li.querySelector('.action-note');
  const action = button.dataset.action;
  try {
    if (action === 'copy') {
      await navigator.clipboard.writeText(id);
      note.textContent = 'Id copied';
    } else if (action === 'cancel') {
      list.apply([await api.cancel(id)], []);
    } else if (action === 'delete') {
      const next = li.nextElementSibling ?? li.previousElementSibling;
      await api.remove(id);
      list.remove(id);
      (next?.querySelector('.job-id') ?? $('jobs-h')).focus(); // why: keep keyboard users in the list
    }
  } catch (e) {
    note.textContent = action === 'copy' ? `Could not copy; the id is ${id}` : e.message;
  }
});

$('token-form').addEventListener('submit', event => {
  event.preventDefault();
  setToken($('token').value.trim());
  $('token').value = '';
  wake();
});

const wake = follow({
  onListing: jobs => list.replace(jobs),
  onChanges: (jobs, deleted) => list.apply(jobs, deleted),
  onStatus: setConnection,
});
