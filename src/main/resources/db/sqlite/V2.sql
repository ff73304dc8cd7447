-- Jobline schema 2: tombstones remember the deleted job's owner, so a watch shows each owner only its own deletions.
ALTER TABLE tombstones ADD COLUMN owner TEXT;
