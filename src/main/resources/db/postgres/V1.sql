-- Jobline schema 1 on PostgreSQL: the same tables as the embedded store's schema 4, shared by
-- every node. seq is a feed position: the writing transaction's id shifted left by 20 bits, plus
-- the row's place in it, so that positions below the oldest running transaction are final.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  type             TEXT NOT NULL,
  state            TEXT NOT NULL,
  version          BIGINT NOT NULL,
  seq              BIGINT NOT NULL,
  created_seq      BIGINT NOT NULL,
  progress         TEXT NOT NULL,
  params           TEXT NOT NULL,
  result           TEXT,
  error            TEXT,
  attempt          INTEGER NOT NULL,
  created_at       BIGINT NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  updated_at       BIGINT NOT NULL,
  owner            TEXT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  node             TEXT
);
CREATE UNIQUE INDEX jobs_by_seq ON jobs (seq);
CREATE INDEX jobs_by_creation ON jobs (created_seq);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_unfinished ON jobs (created_seq) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_by_state ON jobs (state, created_seq);
CREATE INDEX jobs_by_owner ON jobs (owner, created_seq);
CREATE INDEX jobs_running_by_node ON jobs (node) WHERE state = 'running';

CREATE TABLE tombstones (
  seq        BIGINT PRIMARY KEY,
  id         TEXT NOT NULL,
  deleted_at BIGINT NOT NULL,
  owner      TEXT
);
CREATE INDEX tombstones_by_time ON tombstones (deleted_at);

CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  job_id       TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);

CREATE TABLE nodes (
  id           TEXT PRIMARY KEY,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  running      INTEGER NOT NULL,
  draining     INTEGER NOT NULL,
  waiters      TEXT NOT NULL
);

CREATE TABLE rate_buckets (
  owner  TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  at     BIGINT NOT NULL
);
