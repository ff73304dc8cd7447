-- Jobline schema 3: an accepted cancel of a running job survives a restart; indexes for filtered listings.
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_by_state ON jobs (state, created_seq);
CREATE INDEX jobs_by_owner ON jobs (owner, created_seq);
