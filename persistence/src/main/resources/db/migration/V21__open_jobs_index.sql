-- The jobs still queued or running, by type: the workers' roster_jobs_open gauge counts them every few seconds
-- without reading the finished jobs, however many there are. Small: a job is in it only while it runs.
CREATE INDEX jobs_open ON jobs (type, state) WHERE state IN ('queued', 'running');
