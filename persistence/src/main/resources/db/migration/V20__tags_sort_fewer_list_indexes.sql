-- The users list sorts by tags too (the tag list compared element by element, an untagged user first).
-- Every sort now walks the (org_id, status, key, id) indexes: a status filter reads one branch per status value,
-- no filter reads all three merged in key order (PostgreSQL's Merge Append), so the (org_id, key, id) indexes
-- that served unfiltered sorts only cost writes. (org_id, status, id) stays: the status sort walks it.
CREATE INDEX users_list_status_tags ON users (org_id, status, tags, id);
DROP INDEX users_list_email;
DROP INDEX users_list_name;
DROP INDEX users_list_role;
DROP INDEX users_list_location;
DROP INDEX users_list_login;
