-- How many users each organization has per role and status, kept exact by statement-level triggers on users (one
-- aggregated upsert per statement, from its transition tables): the users list's total for a role and status filter
-- is a sum over at most 9 x 16 rows instead of a count over a million. Each row is split into 16 slots by the
-- writing backend, so that concurrent chunk transactions of one organization do not queue on one counter row.
CREATE TABLE user_counts (
    org_id uuid     NOT NULL,
    role   text     NOT NULL,
    status text     NOT NULL,
    slot   smallint NOT NULL,
    n      bigint   NOT NULL,
    PRIMARY KEY (org_id, role, status, slot)
);

CREATE FUNCTION user_counts_apply() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO user_counts AS c (org_id, role, status, slot, n)
        SELECT org_id, role, status, pg_backend_pid() % 16, count(*) FROM new_rows GROUP BY org_id, role, status
        ON CONFLICT (org_id, role, status, slot) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO user_counts AS c (org_id, role, status, slot, n)
        SELECT org_id, role, status, pg_backend_pid() % 16, -count(*) FROM old_rows GROUP BY org_id, role, status
        ON CONFLICT (org_id, role, status, slot) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        -- only the groups a statement moved users between: a tag or a login changes no count
        INSERT INTO user_counts AS c (org_id, role, status, slot, n)
        SELECT org_id, role, status, pg_backend_pid() % 16, sum(d) FROM (
            SELECT o.org_id, o.role, o.status, -1 AS d FROM old_rows o
            UNION ALL
            SELECT n.org_id, n.role, n.status, 1 AS d FROM new_rows n) moved
        GROUP BY org_id, role, status HAVING sum(d) <> 0
        ON CONFLICT (org_id, role, status, slot) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_counts_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER users_counts_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();
CREATE TRIGGER users_counts_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION user_counts_apply();

INSERT INTO user_counts (org_id, role, status, slot, n)
SELECT org_id, role, status, 0, count(*) FROM users GROUP BY org_id, role, status;
