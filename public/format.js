// Numbers, durations and times in the reader's locale (Intl), and the estimate of time left.
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const numberFormat = new Intl.NumberFormat();
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const durationFormat = 'DurationFormat' in Intl ? new Intl.DurationFormat(undefined, { style: 'narrow' }) : null;
const units = ['hour', 'minute', 'second'].map(unit =>
  new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'narrow' }));
const listFormat = new Intl.ListFormat(undefined, { type: 'unit', style: 'narrow' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { style: 'narrow', numeric: 'always' });

/** 42.7 -> "42 %" as the locale writes it; never shows 100 before the job is done. */
export const percent = p => percentFormat.format(Math.floor(p) / 100);
export const number = n => numberFormat.format(n);

/** A duration in ms, rounded to what a reader needs: "0.4s", "8s", "3m 5s", "2h 4m". */
export function duration(ms) {
  if (ms < 1000) return units[2].format(Math.max(0, Math.round(ms / 100) / 10)); // "0.4s", not an empty string
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = h > 0 ? { hours: h, minutes: m } : m > 0 ? { minutes: m, seconds: s } : { seconds: s };
  if (durationFormat) return durationFormat.format(parts);
  const values = [parts.hours, parts.minutes, parts.seconds];
  return listFormat.format(values.flatMap((v, i) => (v === undefined ? [] : [units[i].format(v)])));
}

/** How long ago, in ms, rounded down to its largest unit: "2s ago", "3m ago", "2h ago" as the locale writes it. */
export function ago(ms) {
  const s = Math.max(0, Math.floor(ms / 1000)); // why: a clock a little behind the server's must not say "in 1s"
  if (s < 60) return relativeFormat.format(-s, 'second');
  if (s < 3600) return relativeFormat.format(-Math.floor(s / 60), 'minute');
  return relativeFormat.format(-Math.floor(s / 3600), 'hour');
}

/** When a job was created: the time alone for today, else date and time. */
export function when(iso) {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? timeFormat.format(d) : dateTimeFormat.format(d);
}

/** How long the job has taken so far (or took), in ms; null before it starts. */
export function elapsed(job, now) {
  if (!job.startedAt) return job.state === 'queued' ? now - Date.parse(job.createdAt) : null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return Math.max(0, end - Date.parse(job.startedAt));
}

/** A simple estimate for a running job: the time so far scaled by the part still to do. */
export function timeLeft(job, now) {
  const p = job.progress?.percent ?? 0;
  if (job.state !== 'running' || p <= 0 || p >= 100) return null;
  const spent = elapsed(job, now);
  if (spent < 1000) return null;
  return spent * (100 - p) / p;
}
