-- One outbox row per committed change, carrying every record the change owes: its event (user-changes), the
-- user's new state or a tombstone (the compacted users topic) and, when the change sends one, a mail. Three rows
-- per invited user became one: a third of the inserts and deletes, and the relay reads a third as many rows.
ALTER TABLE outbox
    ADD COLUMN change    text,
    ADD COLUMN snapshot  text,
    ADD COLUMN tombstone boolean NOT NULL DEFAULT false,
    ADD COLUMN mail      text;

UPDATE outbox SET change = payload WHERE topic = 'user-changes';
UPDATE outbox SET snapshot = payload, tombstone = payload IS NULL WHERE topic = 'users';
UPDATE outbox SET mail = payload WHERE topic = 'mail';

ALTER TABLE outbox
    DROP COLUMN topic,
    DROP COLUMN payload,
    ADD CONSTRAINT outbox_carries_something CHECK (change IS NOT NULL OR snapshot IS NOT NULL OR tombstone
        OR mail IS NOT NULL),
    ADD CONSTRAINT outbox_snapshot_or_tombstone CHECK (NOT (tombstone AND snapshot IS NOT NULL));
