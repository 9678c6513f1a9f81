-- A pending user's open invitation lives on the user row: the SHA-256 hash of its token, when it was sent and when
-- it expires. An invited user then costs one index entry more on users, instead of a row, two index entries and a
-- foreign-key lock of the user row in a table of its own (a third of an import's statement time went to them).
-- The invitations table keeps the tokens that are no longer open (used, revoked, replaced), so that each still gets
-- its clear answer.
ALTER TABLE users
    ADD COLUMN invite_token_hash bytea,
    ADD COLUMN invite_sent_at    timestamptz,
    ADD COLUMN invite_expires_at timestamptz,
    ADD CONSTRAINT users_invite_whole CHECK ((invite_token_hash IS NULL) = (invite_expires_at IS NULL)
        AND (invite_token_hash IS NULL) = (invite_sent_at IS NULL));
CREATE UNIQUE INDEX users_invite_token ON users (invite_token_hash) WHERE invite_token_hash IS NOT NULL;

-- each user's newest open invitation moves onto the user row; any older open one was replaced by it
UPDATE users u SET invite_token_hash = i.token_hash, invite_sent_at = i.created_at, invite_expires_at = i.expires_at
FROM (SELECT DISTINCT ON (user_id) user_id, token_hash, created_at, expires_at FROM invitations
      WHERE used_at IS NULL AND revoked_at IS NULL ORDER BY user_id, created_at DESC, token_hash) i
WHERE u.id = i.user_id;
DELETE FROM invitations i USING users u WHERE u.invite_token_hash = i.token_hash;
UPDATE invitations SET revoked_at = now() WHERE used_at IS NULL AND revoked_at IS NULL;
ALTER TABLE invitations ADD CONSTRAINT invitations_closed CHECK (used_at IS NOT NULL OR revoked_at IS NOT NULL);
