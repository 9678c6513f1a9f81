-- The files jobs produce (exports), in parts of about a megabyte, written in the transaction that produced them:
-- any gateway serves them; they expire.
CREATE TABLE job_results (
    job_id  uuid    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    part_no integer NOT NULL,
    data    bytea   NOT NULL,
    PRIMARY KEY (job_id, part_no)
);

ALTER TABLE jobs
    ADD COLUMN result_type       text,
    ADD COLUMN result_bytes      bigint,
    ADD COLUMN result_expires_at timestamptz;
