-- Cancelling a job: chunks claimed after the request are skipped (not applied) and counted.
ALTER TABLE jobs ADD COLUMN skipped integer NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN cancel_requested_at timestamptz;
ALTER TABLE job_chunks ADD COLUMN skipped boolean NOT NULL DEFAULT false;
CREATE INDEX jobs_org_active ON jobs (org_id) WHERE state IN ('queued', 'running');
