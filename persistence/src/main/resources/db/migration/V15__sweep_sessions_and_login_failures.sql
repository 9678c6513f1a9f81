-- The workers' sweeper deletes expired sessions and login failures older than any lockout window, a bounded number
-- a round; these indexes let it find them without reading either table whole.
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
