-- A key for each failed login, so that the table is a plain entity of the gateway's repository
-- (Micronaut Data maps a table with a primary key).
ALTER TABLE login_failures ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
