-- A result's parts are compressed by the worker that writes them (LZ4, a few times faster than PostgreSQL's pglz
-- in both directions) and stored as they come: PostgreSQL does not compress them again. raw_bytes is a part's
-- length before compression; null for a part stored as is (a gzip export is compressed already).
ALTER TABLE job_results ADD COLUMN raw_bytes integer CHECK (raw_bytes >= 0);
ALTER TABLE job_results ALTER COLUMN data SET STORAGE EXTERNAL;
