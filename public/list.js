// The live list of jobs: newest first, keyed by id. Changes are gathered and written once per
// animation frame, and only to the rows that changed, so a thousand rows stay smooth.
import { createRow, render, renderTimes, TERMINAL } from './row.js';

export const FILTERS = [
  ['all', 'All', () => true],
  ['active', 'Active', s => s === 'queued' || s === 'running'],
  ['succeeded', 'Succeeded', s => s === 'succeeded'],
  ['failed', 'Failed', s => s === 'failed'],
  ['cancelled', 'Cancelled', s => s === 'cancelled'],
];

const newestFirst = (a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

export class JobList {
  /** @param onCounts called with {state: count} after each change */
  constructor(listEl, onCounts) {
    this.listEl = listEl;
    this.onCounts = onCounts;
    this.rows = new Map();   // id -> row
    this.order = [];         // rows, newest first, as in the DOM
    this.pending = new Map(); // id -> newest job not yet written
    this.deleted = new Set();
    this.frame = 0;
    // why: elapsed time and estimates move between changes; this touches the DOM only, never the network
    setInterval(() => this.tick(), 1000);
  }

  /** Replaces everything (first listing, or reset after a restart). */
  replace(jobs) {
    this.pending.clear();
    this.deleted.clear();
    for (const row of this.order) row.li.remove();
    this.rows.clear();
    this.order = [];
    this.apply(jobs, []);
  }

  /** Applies changed jobs and deleted ids; newer versions win, older ones are ignored. */
  apply(jobs, deletedIds) {
    for (const id of deletedIds) {
      this.pending.delete(id);
      this.deleted.add(id);
    }
    for (const job of jobs) {
      const known = this.pending.get(job.id) ?? this.rows.get(job.id)?.job;
      if (known && known.version >= job.version) continue;
      this.deleted.delete(job.id);
      this.pending.set(job.id, job);
    }
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  remove(id) {
    this.apply([], [id]);
  }

  get(id) {
    return this.pending.get(id) ?? this.rows.get(id)?.job;
  }

  flush() {
    this.frame = 0;
    const now = Date.now();
    for (const id of this.deleted) {
      const row = this.rows.get(id);
      if (!row) continue;
      this.rows.delete(id);
      this.order.splice(this.order.indexOf(row), 1);
      row.li.remove();
    }
    this.deleted.clear();
    for (const job of this.pending.values()) {
      const row = this.rows.get(job.id);
      if (row) render(row, job, now);
      else this.insert(createRow(job));
    }
    this.pending.clear();
    this.onCounts(this.counts());
  }

  insert(row) {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newestFirst(this.order[mid].job, row.job) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.listEl.insertBefore(row.li, this.order[lo]?.li ?? null);
    this.order.splice(lo, 0, row);
    this.rows.set(row.job.id, row);
  }

  counts() {
    const counts = { all: this.order.length, active: 0, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const row of this.order) {
      counts[row.job.state] += 1;
      if (!TERMINAL.has(row.job.state)) counts.active += 1;
    }
    return counts;
  }

  tick() {
    if (document.hidden) return;
    const now = Date.now();
    for (const row of this.order) {
      if (!TERMINAL.has(row.job.state)) renderTimes(row, now);
    }
  }
}
