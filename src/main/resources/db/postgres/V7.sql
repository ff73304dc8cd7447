-- Jobline schema 7 on PostgreSQL, as the embedded store's schema 10: when, in what order and how
-- often a job runs.
-- run_at (epoch ms) holds a queued job back until then; priority (higher first, 0 when not set) and queue (null: the default queue) order the claim;
-- timeout_ms bounds each attempt; retry, errors and checkpoint are JSON.
ALTER TABLE jobs ADD COLUMN run_at BIGINT;
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN queue TEXT;
ALTER TABLE jobs ADD COLUMN timeout_ms BIGINT;
ALTER TABLE jobs ADD COLUMN retry TEXT;
ALTER TABLE jobs ADD COLUMN errors TEXT;
ALTER TABLE jobs ADD COLUMN checkpoint TEXT;
-- The claim reads ready jobs of one queue in order from the first, and due ones by time from the
-- second, so jobs waiting for a later time are never read by a claim or by the next-due lookup.
CREATE INDEX jobs_ready ON jobs (queue, priority DESC, created_seq) WHERE state = 'queued' AND waiting_for IS NULL AND run_at IS NULL;
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued' AND waiting_for IS NULL AND run_at IS NOT NULL;
CREATE INDEX jobs_running_by_queue ON jobs (queue) WHERE state = 'running' AND queue IS NOT NULL;
