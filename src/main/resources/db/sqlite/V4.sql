-- Jobline schema 4: the store owns the work. A running job names the node that claimed it; nodes
-- record their heartbeats (a node whose heartbeat stops loses its jobs to the others); the
-- per-owner submit rate is a token bucket kept with the jobs.
ALTER TABLE jobs ADD COLUMN node TEXT;
CREATE INDEX jobs_running_by_node ON jobs (node) WHERE state = 'running';

CREATE TABLE nodes (
  id           TEXT PRIMARY KEY,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  running      INTEGER NOT NULL,
  draining     INTEGER NOT NULL,
  waiters      TEXT NOT NULL      -- JSON: long-polls waiting per owner
);

CREATE TABLE rate_buckets (
  owner  TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  at     INTEGER NOT NULL
);
