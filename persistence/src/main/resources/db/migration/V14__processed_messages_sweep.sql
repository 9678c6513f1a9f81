-- The ids of applied messages are swept once their topic can no longer deliver them again
-- (ProcessedMessages.deleteOlderThan). A BRIN index finds the old ones: rows are appended in time order, and the
-- index is a few pages for millions of rows, next to nothing for the mailer to maintain.
CREATE INDEX processed_messages_at ON processed_messages USING brin (processed_at);
