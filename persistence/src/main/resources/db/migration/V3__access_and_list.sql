-- An organization's permission matrix for its Staff and User roles (Admin always has every permission).
-- No row: the defaults. Applies to the users whose account is in that organization.
CREATE TABLE role_permissions (
    org_id      uuid   NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role        text   NOT NULL CHECK (role IN ('Staff', 'User')),
    permissions text[] NOT NULL,
    PRIMARY KEY (org_id, role)
);

-- The tags an organization may apply to its users.
CREATE TABLE org_tags (
    org_id     uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, name)
);

-- Sort keys of the users list, one per column, never null, so that keyset pagination is a plain row comparison.
ALTER TABLE users
    ADD COLUMN sort_name     text        GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED,
    ADD COLUMN sort_location text        GENERATED ALWAYS AS (coalesce(lower(location), '')) STORED,
    ADD COLUMN sort_login    timestamptz GENERATED ALWAYS AS (coalesce(last_login_at, '-infinity'::timestamptz)) STORED;

DROP INDEX users_org_email;
CREATE INDEX users_list_email    ON users (org_id, email, id);
CREATE INDEX users_list_name     ON users (org_id, sort_name, id);
CREATE INDEX users_list_role     ON users (org_id, role, id);
CREATE INDEX users_list_location ON users (org_id, sort_location, id);
CREATE INDEX users_list_status   ON users (org_id, status, id);
CREATE INDEX users_list_login    ON users (org_id, sort_login, id);
CREATE INDEX users_tags          ON users USING gin (tags);

-- Failed logins per account, for the login attempt limit.
CREATE TABLE login_failures (
    email      text        NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
