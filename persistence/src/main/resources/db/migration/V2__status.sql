-- When the current status took effect (the transition's own time): transitions are applied only forwards in time,
-- so a re-delivered or late one changes nothing.
ALTER TABLE users ADD COLUMN status_changed_at timestamptz;
