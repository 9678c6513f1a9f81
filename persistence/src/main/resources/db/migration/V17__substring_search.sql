-- Search finds a part of a name or an email, anywhere in it: a trigram index over both (pg_trgm, a trusted
-- extension shipped with PostgreSQL), which a LIKE '%text%' uses once the text has three characters. The extension
-- lives in public, once per database, whichever schema Roster runs in; its operator class is named there.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX users_search ON users USING gin ((sort_name || ' ' || email) public.gin_trgm_ops);
