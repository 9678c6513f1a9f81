-- Why a job failed as a whole (for example, its upload was cut off before every chunk was queued).
ALTER TABLE jobs ADD COLUMN failure_reason text;
