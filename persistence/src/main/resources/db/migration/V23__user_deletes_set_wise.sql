-- Deleting users removes their sessions and closed invitations set-wise, in the statement's transaction
-- (UserChunks), instead of through ON DELETE CASCADE foreign keys: a cascade is a trigger and a query per deleted
-- user and per referencing table. Measured on PostgreSQL 15 with both referencing tables empty: 200,000 users
-- deleted in 4.4 s with the two cascades, 1.1 s without them and with the two set-wise deletes.
-- A session written for a user deleted meanwhile opens nothing (a session is read joined to its user) and is swept
-- when it expires; a closed invitation is written only under the lock of its user's row.
ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey;
ALTER TABLE invitations DROP CONSTRAINT invitations_user_id_fkey;
