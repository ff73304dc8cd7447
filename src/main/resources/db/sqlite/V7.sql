-- Jobline schema 7: uploads. The bytes are files in DATA/uploads named by id; here is what clients
-- see of them, and which jobs use which upload. expires_at is null while a job uses the upload.
CREATE TABLE uploads (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  content_type TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  owner        TEXT,
  expires_at   INTEGER
);
CREATE INDEX uploads_by_owner ON uploads (owner, created_at);
CREATE INDEX uploads_expiring ON uploads (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE upload_uses (
  upload_id TEXT NOT NULL,
  job_id    TEXT NOT NULL,
  PRIMARY KEY (upload_id, job_id)
);
CREATE INDEX upload_uses_by_job ON upload_uses (job_id);
