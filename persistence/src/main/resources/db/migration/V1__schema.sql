-- Roster schema, version 1. Emails are stored trimmed and lower-cased: one account per email, platform-wide.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    parent_id   uuid REFERENCES organizations (id),
    -- ids from the root down to this organization itself; "is X within Y's reach" is "Y = ANY(X.path)"
    path        uuid[]      NOT NULL,
    depth       smallint    NOT NULL CHECK (depth BETWEEN 1 AND 4),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organizations_parent ON organizations (parent_id);
CREATE INDEX organizations_path ON organizations USING gin (path);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    org_id        uuid        NOT NULL REFERENCES organizations (id),
    email         text        NOT NULL CHECK (email = lower(email)),
    first_name    text        NOT NULL,
    last_name     text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('Admin', 'Staff', 'User')),
    location      text,
    tags          text[]      NOT NULL DEFAULT '{}',
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'inactive')),
    password_hash text,
    last_login_at timestamptz,
    invited_at    timestamptz NOT NULL DEFAULT now(),
    -- the invite job that created the user (tells a duplicate within one import from an earlier invitation)
    invite_job_id uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_org_email ON users (org_id, email, id);

-- Opaque bearer tokens, stored only as SHA-256 hashes.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE jobs (
    id              uuid PRIMARY KEY,
    org_id          uuid        NOT NULL REFERENCES organizations (id),
    type            text        NOT NULL CHECK (type IN ('invite', 'delete', 'tag', 'transfer', 'export')),
    state           text        NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'partially_succeeded',
                                                          'failed', 'cancelled')),
    total           integer     NOT NULL DEFAULT 0,
    processed       integer     NOT NULL DEFAULT 0,
    succeeded       integer     NOT NULL DEFAULT 0,
    failed          integer     NOT NULL DEFAULT 0,
    chunk_count     integer     NOT NULL,
    chunks_done     integer     NOT NULL DEFAULT 0,
    created_by      uuid        NOT NULL,
    idempotency_key text,
    request_hash    bytea,
    -- set once every chunk is on Kafka; a job without it was cut off during submission
    submitted_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_org_created ON jobs (org_id, created_at DESC, id);

-- One row per applied chunk, written in the chunk's own transaction: a re-delivered chunk finds it and is skipped.
CREATE TABLE job_chunks (
    job_id     uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    chunk_no   integer     NOT NULL,
    rows       integer     NOT NULL,
    succeeded  integer     NOT NULL,
    failed     integer     NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, chunk_no)
);

CREATE TABLE job_errors (
    id      bigserial PRIMARY KEY,
    job_id  uuid    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    row_no  integer NOT NULL,
    field   text,
    code    text    NOT NULL,
    message text    NOT NULL
);
CREATE INDEX job_errors_job ON job_errors (job_id, row_no, id);

-- Transactional outbox: written with the change it describes, published by the relay in id order, then deleted.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    event_id   uuid        NOT NULL,
    topic      text        NOT NULL CHECK (topic IN ('user-changes', 'users', 'mail')),
    record_key text        NOT NULL,
    payload    text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Messages a consumer has applied (by message id), for consumers whose messages are not job chunks.
CREATE TABLE processed_messages (
    consumer     text        NOT NULL,
    message_id   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Every action on a user: who, when, what, from which client.
CREATE TABLE activity (
    id       bigserial PRIMARY KEY,
    user_id  uuid        NOT NULL,
    org_id   uuid        NOT NULL,
    actor_id uuid,
    action   text        NOT NULL,
    client   text,
    details  text,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_user ON activity (user_id, at DESC, id);
