// The live list of jobs: newest first, keyed by id. Changes are gathered and written once per
// animation frame, and only to the rows that changed, so a thousand rows stay smooth.
import { childList, createRow, render, renderTimes, TERMINAL } from './row.js';

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
    this.order = [];         // top-level rows, newest first, as in the DOM (a batch's jobs are folded under its row instead)
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
      this.detach(row);
      for (const child of row.children?.rows ?? []) { // why: a batch deleted before its jobs: they stay, unfolded
        child.under = null;
        this.insert(child);
      }
    }
    this.deleted.clear();
    // why: a batch's parent first, so that its jobs arriving in the same change fold under it
    const jobs = [...this.pending.values()].sort((a, b) => (a.parent ? 1 : 0) - (b.parent ? 1 : 0));
    for (const job of jobs) {
      const row = this.rows.get(job.id);
      if (row) render(row, job, now);
      else this.insert(createRow(job));
    }
    this.pending.clear();
    this.onCounts(this.counts());
  }

  insert(row) {
    const parent = row.job.parent ? this.rows.get(row.job.parent) : null;
    const folded = parent ? childList(parent) : null;
    const order = folded ? folded.rows : this.order;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newestFirst(order[mid].job, row.job) < 0) lo = mid + 1;
      else hi = mid;
    }
    (folded ? folded.ul : this.listEl).insertBefore(row.li, order[lo]?.li ?? null);
    order.splice(lo, 0, row);
    row.under = parent;
    this.rows.set(row.job.id, row);
    if (folded) folded.summary.textContent = `Jobs of this batch (${folded.rows.length})`;
  }

  /** Takes a row out of the DOM and out of the order it is in. */
  detach(row) {
    const order = row.under?.children ? row.under.children.rows : this.order;
    const i = order.indexOf(row);
    if (i >= 0) order.splice(i, 1);
    row.li.remove();
    if (row.under?.children) row.under.children.summary.textContent = `Jobs of this batch (${order.length})`;
  }

  counts() {
    const counts = { all: this.rows.size, active: 0, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const row of this.rows.values()) {
      counts[row.job.state] += 1;
      if (!TERMINAL.has(row.job.state)) counts.active += 1;
    }
    return counts;
  }

  tick() {
    if (document.hidden) return;
    const now = Date.now();
    for (const row of this.rows.values()) {
      if (!TERMINAL.has(row.job.state)) renderTimes(row, now);
    }
  }
}
