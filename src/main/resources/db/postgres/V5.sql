-- Jobline schema 5 on PostgreSQL: recurring jobs (--schedules), as in the embedded store's schema 8.
-- One row per schedule: the newest tick handled (started, or skipped while its last run was active)
-- and its last run. A tick's run is stored in the transaction that moves last_tick past it, with
-- the row locked, so of the nodes trying one tick exactly one starts its job.
CREATE TABLE schedules (
  name        TEXT PRIMARY KEY,
  last_tick   BIGINT NOT NULL,
  last_run_at BIGINT,
  last_job    TEXT
);
