-- Jobline schema 1: jobs, the change feed's tombstones, idempotency keys, and facts about the store.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  state       TEXT NOT NULL,
  version     INTEGER NOT NULL,
  seq         INTEGER NOT NULL,   -- position of this version in the change feed
  created_seq INTEGER NOT NULL,   -- position of the insert: newest-first order
  progress    TEXT NOT NULL,      -- JSON
  params      TEXT NOT NULL,      -- JSON
  result      TEXT,               -- JSON
  error       TEXT,               -- JSON
  attempt     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,   -- epoch milliseconds, UTC
  started_at  INTEGER,
  finished_at INTEGER,
  updated_at  INTEGER NOT NULL,
  owner       TEXT
);
CREATE UNIQUE INDEX jobs_by_seq ON jobs (seq);
CREATE INDEX jobs_by_creation ON jobs (created_seq);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_unfinished ON jobs (created_seq) WHERE state IN ('queued', 'running');

CREATE TABLE tombstones (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL,
  deleted_at INTEGER NOT NULL
);
CREATE INDEX tombstones_by_time ON tombstones (deleted_at);

CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  job_id       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);
