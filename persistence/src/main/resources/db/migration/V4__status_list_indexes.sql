-- A status filter is answered per status value from these indexes (one ordered branch per value, merged), so that
-- a filter correlated with the sort (pending users have no last login) never scans the rows it skips.
CREATE INDEX users_list_status_email    ON users (org_id, status, email, id);
CREATE INDEX users_list_status_name     ON users (org_id, status, sort_name, id);
CREATE INDEX users_list_status_role     ON users (org_id, status, role, id);
CREATE INDEX users_list_status_location ON users (org_id, status, sort_location, id);
CREATE INDEX users_list_status_login    ON users (org_id, status, sort_login, id);
