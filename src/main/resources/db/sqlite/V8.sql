-- Jobline schema 8: recurring jobs (--schedules). One row per schedule: the newest tick handled
-- (started, or skipped while its last run was active) and its last run. A tick's run is stored in
-- the transaction that moves last_tick past it, so each tick starts at most one job.
CREATE TABLE schedules (
  name        TEXT PRIMARY KEY,
  last_tick   INTEGER NOT NULL,
  last_run_at INTEGER,
  last_job    TEXT
);
