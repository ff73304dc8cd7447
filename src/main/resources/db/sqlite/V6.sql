-- Jobline schema 5: each job's log, its newest lines numbered from 1; a job's log head holds its
-- newest line number at a feed position, so a commit that adds lines reaches every waiter.
CREATE TABLE job_logs (
  job_id TEXT NOT NULL,
  n      INTEGER NOT NULL,
  at     INTEGER NOT NULL,   -- epoch milliseconds, UTC
  stream TEXT NOT NULL,      -- stdout, stderr or log
  text   TEXT NOT NULL,
  PRIMARY KEY (job_id, n)
) WITHOUT ROWID;

CREATE TABLE log_heads (
  job_id TEXT PRIMARY KEY,
  last_n INTEGER NOT NULL,
  seq    INTEGER NOT NULL     -- position in the change feed
);
CREATE UNIQUE INDEX log_heads_by_seq ON log_heads (seq);
