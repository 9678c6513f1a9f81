-- Invitation tokens, stored only as SHA-256 hashes; single use, expiring, revocable. A resend revokes the others.
CREATE TABLE invitations (
    token_hash bytea PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz
);
CREATE INDEX invitations_user ON invitations (user_id);
