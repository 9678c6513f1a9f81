-- A user's invitation is the first entry of their activity log, and everything it says is on the user row already
-- (when, by which job) or fits there (who invited them, from which client). It is read from the user row instead of
-- being written as an activity row of its own: an import of a million users writes a million rows and two million
-- index entries fewer. The log is read through user_activity, the activity rows and each user's invitation.
ALTER TABLE users
    ADD COLUMN invited_by    uuid,
    ADD COLUMN invite_client text;

UPDATE users u SET invited_by = a.actor_id, invite_client = a.client
FROM activity a
WHERE a.user_id = u.id AND a.action = 'roster.user.invited';
DELETE FROM activity WHERE action = 'roster.user.invited';

-- id 0: the invitation comes before any other entry of the same instant (the log reads newest first, id descending)
CREATE VIEW user_activity AS
SELECT id, user_id, org_id, actor_id, action, client, details, at
FROM activity
UNION ALL
SELECT 0, id, org_id, invited_by, 'roster.user.invited', invite_client,
       CASE WHEN invite_job_id IS NULL THEN NULL ELSE 'job ' || invite_job_id END, invited_at
FROM users;
