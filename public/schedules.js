// The Schedules panel: the recurring jobs of the server's --schedules file (GET /api/schedules)
// with their next run, shown when there are any. Asked for when the page goes live and, when the
// server has schedules, again a second after each next run comes (at least 5 s, at most 30 s
// apart), so the last run shows; the "in 4 min" texts count down between answers without asking.
import { api } from './api.js';
import * as fmt from './format.js';

const MIN_MS = 5_000;
const MAX_MS = 30_000;
const relative = new Intl.RelativeTimeFormat(undefined, { style: 'long', numeric: 'always' });

/** How long until, in ms, in its largest unit: "in 4 minutes", "in 12 seconds" as the locale writes it. */
export function until(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return relative.format(s, 'second');
  if (s < 3600) return relative.format(Math.round(s / 60), 'minute');
  if (s < 86_400) return relative.format(Math.round(s / 3600), 'hour');
  return relative.format(Math.round(s / 86_400), 'day');
}

function cell(tag, className, text) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class SchedulesPanel {
  /** @param section the panel, hidden while the server has no schedules; rows its tbody */
  constructor(section, rows) {
    this.section = section;
    this.rows = rows;
    this.run = 0; // why: an answer to an earlier start (or one since stopped) must not start a second loop
    this.timer = 0;
    setInterval(() => this.tick(), 1000); // the DOM only, never the network
  }

  start() {
    clearTimeout(this.timer);
    this.ask(++this.run);
  }

  stop() {
    clearTimeout(this.timer);
    this.run += 1;
  }

  hide() {
    this.stop();
    this.section.hidden = true;
  }

  async ask(run) {
    let wait = MAX_MS;
    if (!document.hidden) {
      try {
        const schedules = await api.schedules(AbortSignal.timeout(MAX_MS));
        if (run !== this.run) return;
        this.render(schedules ?? []);
        this.section.hidden = !schedules?.length;
        // why: the schedules come from the server's file, fixed until it restarts (and the page goes live again)
        if (!schedules?.length) return;
        const soonest = Math.min(...(schedules ?? []).map(s => (s.nextRunAt ? Date.parse(s.nextRunAt) : Infinity)));
        wait = Math.min(MAX_MS, Math.max(MIN_MS, soonest - Date.now() + 1000));
      } catch (e) {
        if (run !== this.run) return;
        if (e.status === 401 || e.status === 403) {
          this.hide();
          return;
        }
        // why: any other failure (the server going away) is the watch's to tell; this asks again later
      }
    }
    this.timer = setTimeout(() => this.ask(run), wait);
  }

  render(schedules) {
    const now = Date.now();
    this.rows.replaceChildren(...schedules.map(s => {
      const tr = document.createElement('tr');
      tr.dataset.schedule = s.name;
      const name = cell('th', 'schedule-name', s.name);
      name.scope = 'row';
      const when = cell('td', 'schedule-cron');
      when.append(cell('code', '', s.cron), ' ', cell('span', 'muted', s.timezone));
      const next = cell('td', 'schedule-next');
      if (s.nextRunAt) {
        const t = cell('time', '', until(Date.parse(s.nextRunAt) - now));
        t.dateTime = s.nextRunAt;
        t.title = fmt.when(s.nextRunAt);
        next.append(t);
      } else {
        next.textContent = 'never';
      }
      const last = cell('td', 'schedule-last');
      if (s.lastRunAt) {
        const t = cell('time', '', fmt.when(s.lastRunAt));
        t.dateTime = s.lastRunAt;
        last.append(t);
        if (s.lastJob) last.append(' ', cell('code', 'schedule-job', s.lastJob.slice(0, 8)));
      } else {
        last.textContent = 'not yet';
      }
      tr.append(name, when, cell('td', 'schedule-type', s.type), next, last);
      return tr;
    }));
  }

  tick() {
    if (this.section.hidden || document.hidden) return;
    const now = Date.now();
    for (const t of this.rows.querySelectorAll('.schedule-next time')) {
      const text = until(Date.parse(t.dateTime) - now);
      if (t.textContent !== text) t.textContent = text;
    }
  }
}
