-- Jobline schema 9: dependencies and batches. after_ids is a submit's "after" (a JSON array of job
-- ids), waiting_for those of them not yet succeeded (null when none: only then can the job be
-- claimed); job_deps holds the same pairs, found by the dependency, so the write that ends a job
-- finds the jobs waiting for it without a scan. parent is the batch a job belongs to; batches
-- holds each batch's counts, moved by the writes that end its children.
ALTER TABLE jobs ADD COLUMN after_ids TEXT;
ALTER TABLE jobs ADD COLUMN waiting_for TEXT;
ALTER TABLE jobs ADD COLUMN parent TEXT;
CREATE INDEX jobs_by_parent ON jobs (parent, created_seq) WHERE parent IS NOT NULL;

CREATE TABLE job_deps (
  job_id TEXT NOT NULL,
  dep_id TEXT NOT NULL,
  PRIMARY KEY (job_id, dep_id)
);
CREATE INDEX job_deps_by_dep ON job_deps (dep_id);

CREATE TABLE batches (
  id          TEXT PRIMARY KEY,
  total       INTEGER NOT NULL,
  done        INTEGER NOT NULL,
  failed      INTEGER NOT NULL,
  percent_sum REAL NOT NULL      -- the final percents of the children that ended
);
