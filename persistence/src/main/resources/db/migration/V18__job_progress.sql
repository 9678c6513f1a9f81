-- How far a running export has got: rows written so far, reported outside the export's transaction (which commits
-- its file and counts only at the end), so that its progress shows while it runs. Informative only: the counts
-- that matter are the ones committed with the chunk.
ALTER TABLE jobs ADD COLUMN progress integer;
