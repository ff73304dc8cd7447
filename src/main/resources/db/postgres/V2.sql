-- Jobline schema 2 on PostgreSQL: callbacks, as the embedded store's schema 5. A job may name a
-- callback URL; when it ends, the same write creates its delivery, which nodes claim under a
-- lease and try until it is delivered or given up; every attempt is kept for
-- GET /api/jobs/{id}/deliveries. Both are deleted with their job.
ALTER TABLE jobs ADD COLUMN callback TEXT;

CREATE TABLE deliveries (
  id          TEXT PRIMARY KEY,
  job_id      TEXT NOT NULL UNIQUE,
  url         TEXT NOT NULL,
  event       TEXT NOT NULL,      -- job.succeeded, job.failed or job.cancelled
  state       TEXT NOT NULL,      -- pending, delivered or failed
  attempts    INTEGER NOT NULL,
  created_at  BIGINT NOT NULL,    -- epoch milliseconds, UTC
  due_at      BIGINT NOT NULL,
  lease_node  TEXT,
  lease_until BIGINT NOT NULL
);
CREATE INDEX deliveries_pending ON deliveries (due_at) WHERE state = 'pending';

CREATE TABLE delivery_attempts (
  delivery_id TEXT NOT NULL,
  job_id      TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  at          BIGINT NOT NULL,
  status      INTEGER,
  error       TEXT,
  state       TEXT NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX delivery_attempts_by_job ON delivery_attempts (job_id);
