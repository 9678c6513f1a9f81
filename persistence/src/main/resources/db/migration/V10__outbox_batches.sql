-- A change of many users in one transaction (a job chunk, an import's rows) is written as one outbox row that
-- carries all of its entries in order (batch: see Outbox.java for the encoding), instead of one row per user: a
-- thousandth of the inserts, index entries and relay deletes. A row of one change keeps its columns as before.
-- The batch is stored out of line and uncompressed (EXTERNAL): it is written once, read once, and PostgreSQL's
-- compression would cost more CPU than the few megabytes it saves.
ALTER TABLE outbox
    ADD COLUMN batch   bytea,
    ADD COLUMN entries integer NOT NULL DEFAULT 1,
    ALTER COLUMN event_id DROP NOT NULL,
    ALTER COLUMN record_key DROP NOT NULL,
    ALTER COLUMN batch SET STORAGE EXTERNAL,
    DROP CONSTRAINT outbox_carries_something,
    ADD CONSTRAINT outbox_carries_something CHECK (change IS NOT NULL OR snapshot IS NOT NULL OR tombstone
        OR mail IS NOT NULL OR batch IS NOT NULL),
    ADD CONSTRAINT outbox_batch_or_one CHECK ((batch IS NULL) = (event_id IS NOT NULL AND record_key IS NOT NULL));
