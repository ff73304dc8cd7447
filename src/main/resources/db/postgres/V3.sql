-- Jobline schema 2 on PostgreSQL: each job's log, its newest lines numbered from 1; a job's log
-- head holds its newest line number at a feed position, so a commit that adds lines reaches the
-- waiters on every node.
CREATE TABLE job_logs (
  job_id TEXT NOT NULL,
  n      BIGINT NOT NULL,
  at     BIGINT NOT NULL,
  stream TEXT NOT NULL,
  text   TEXT NOT NULL,
  PRIMARY KEY (job_id, n)
);

CREATE TABLE log_heads (
  job_id TEXT PRIMARY KEY,
  last_n BIGINT NOT NULL,
  seq    BIGINT NOT NULL
);
CREATE UNIQUE INDEX log_heads_by_seq ON log_heads (seq);
