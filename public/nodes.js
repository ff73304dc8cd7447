// The Nodes panel, for admins: the nodes sharing the store (GET /api/nodes), asked for when the
// page goes live and every 10 s while it stays live. A small, bounded poll for a few rows; the
// jobs keep their one watch. A user's token is refused (403; 401 without a token): the panel stays
// hidden and asks no more until the page is live again, perhaps with another token.
import { api } from './api.js';
import * as fmt from './format.js';

const EVERY_MS = 10_000;

function cell(tag, className, text) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function time(className, iso, text) {
  const t = cell('time', className, text);
  t.dateTime = iso;
  return t;
}

export class NodesPanel {
  /** @param section the panel, hidden until an answer says this caller may see it; rows its tbody */
  constructor(section, rows) {
    this.section = section;
    this.rows = rows;
    this.run = 0; // why: an answer to an earlier start (or one since stopped) must not start a second loop
    this.timer = 0;
    // why: the heartbeat ages move between answers; this touches the DOM only, never the network
    setInterval(() => this.tick(), 1000);
  }

  /** Asks now, then every 10 s until stopped. */
  start() {
    clearTimeout(this.timer);
    this.ask(++this.run);
  }

  /** Stops asking; what is shown stays (the page dims it while it may be out of date). */
  stop() {
    clearTimeout(this.timer);
    this.run += 1;
  }

  hide() {
    this.stop();
    this.section.hidden = true;
  }

  async ask(run) {
    if (document.hidden) { // why: nobody looks at a background tab; it asks again when its turn comes and it is seen
      this.timer = setTimeout(() => this.ask(run), EVERY_MS);
      return;
    }
    try {
      const answer = await api.nodes(AbortSignal.timeout(EVERY_MS));
      if (run !== this.run) return;
      this.render(answer?.nodes ?? []);
      this.section.hidden = false;
    } catch (e) {
      if (run !== this.run) return;
      if (e.status === 401 || e.status === 403) {
        this.hide();
        return;
      }
      // why: any other failure (the server going away) is the watch's to tell; this asks again later
    }
    this.timer = setTimeout(() => this.ask(run), EVERY_MS);
  }

  render(nodes) {
    const now = Date.now();
    this.rows.replaceChildren(...nodes.map(n => {
      const tr = document.createElement('tr');
      tr.dataset.node = n.id;
      tr.dataset.draining = String(n.draining === true);
      const id = cell('th', 'node-id', n.id);
      id.scope = 'row';
      const beat = cell('td', 'node-beat');
      beat.append(time('', n.heartbeatAt, fmt.ago(now - Date.parse(n.heartbeatAt))));
      const started = cell('td', 'node-started');
      started.append(time('', n.startedAt, fmt.when(n.startedAt)));
      tr.append(id, cell('td', 'node-running num', fmt.number(n.running)),
        cell('td', 'node-draining', n.draining ? 'yes' : 'no'), beat, started);
      return tr;
    }));
  }

  tick() {
    if (this.section.hidden || document.hidden) return;
    const now = Date.now();
    for (const t of this.rows.querySelectorAll('.node-beat time')) {
      const text = fmt.ago(now - Date.parse(t.dateTime));
      if (t.textContent !== text) t.textContent = text;
    }
  }
}
