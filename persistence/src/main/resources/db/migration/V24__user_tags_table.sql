-- A user's tags move out of the users row into a narrow row of their own (issue 19). A bulk tag then writes that
-- row and its three index entries, not a new version of the users row with an entry in each of its ten indexes (the
-- trigram search index among them) and the counting trigger's transition tables: on PostgreSQL 17, 200,000 users
-- tagged in statements of 1,000 ids ran at 9,000 to 14,000 a second through the users row and at 47,000 to 49,000
-- through a table of this shape.
--
-- Every user has exactly one row here, kept by the database: inserted with the user (untagged, unless it was written
-- first), deleted with the user, and following the user's organization and status (the tags sort walks (org_id, status, sort_tags, user_id)
-- one status at a time, as every other sort walks the users table's (org_id, status, key, id) indexes).
-- updated_at is the time of the last change of the tags; a user's snapshot is as new as the later of it and the
-- users row's.
--
-- Locks: a change of the users row takes the row's lock first and this row's after it (the triggers below, and
-- Users' locked read of the tags); a tag job takes this row's lock only. So nothing waits for a users row while it
-- holds this one, and whoever writes a user second reads the first's committed state.
CREATE TABLE user_tags (
    user_id    uuid        PRIMARY KEY,
    org_id     uuid        NOT NULL,
    status     text        NOT NULL,
    tags       text[]      NOT NULL DEFAULT '{}',
    sort_tags  text COLLATE "C" GENERATED ALWAYS AS (tags_sort_key(tags)) STORED,
    updated_at timestamptz NOT NULL
);

INSERT INTO user_tags (user_id, org_id, status, tags, updated_at)
SELECT id, org_id, status, tags, updated_at FROM users;

CREATE INDEX user_tags_tags ON user_tags USING gin (tags);
CREATE INDEX user_tags_list ON user_tags (org_id, status, sort_tags, user_id);

DROP INDEX users_tags;
DROP INDEX users_list_status_tags_key;
ALTER TABLE users DROP COLUMN sort_tags, DROP COLUMN tags;

-- one statement's new users at once, from the transition table the counting trigger already keeps: an untagged row
-- for each user whose tags row was not written before them (an invitation writes its users' rows itself, with their
-- tags, in one COPY: Users.insertInvited)
CREATE FUNCTION user_tags_insert() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO user_tags (user_id, org_id, status, updated_at)
    SELECT id, org_id, status, updated_at FROM new_rows
    ON CONFLICT (user_id) DO NOTHING;
    RETURN NULL;
END
$$;

-- by the primary key, whatever the statement's size (a join with the transition table could be planned once, on the
-- session's first delete, as a scan of the whole table)
CREATE FUNCTION user_tags_delete() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM user_tags WHERE user_id = ANY (ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END
$$;

-- a row trigger, called only for the rows whose organization or status changed (the WHEN is checked without a call)
CREATE FUNCTION user_tags_follow() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE user_tags SET org_id = NEW.org_id, status = NEW.status WHERE user_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_tags_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_tags_insert();
CREATE TRIGGER users_tags_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_tags_delete();
CREATE TRIGGER users_tags_follow AFTER UPDATE OF org_id, status ON users FOR EACH ROW
    WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION user_tags_follow();
