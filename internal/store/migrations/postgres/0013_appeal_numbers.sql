-- On PostgreSQL appeal numbers come from a sequence, which no transaction
-- waits for, instead of the day's counter row, which every creation of the
-- day locked in turn. A day's numbers are the sequence's values less the
-- day's base: the value before its first number. The days counted so far go
-- on after their last number.
CREATE SEQUENCE appeal_numbers;
CREATE TABLE appeal_number_bases (
    day  TEXT PRIMARY KEY,
    base BIGINT NOT NULL
);
INSERT INTO appeal_number_bases (day, base) SELECT day, -n FROM appeal_counters;
