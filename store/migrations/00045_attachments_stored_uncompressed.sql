-- +goose Up
-- A file is read out in pieces (substring of its bytes, 4 MiB at a time).
-- Stored compressed — text and PDFs compress — every piece would decompress
-- the value from its start: a 50 MB file read in 13 pieces decompressed some
-- 300 MB. Stored out of line uncompressed (EXTERNAL), a piece reads only its
-- own slices. Pictures and videos do not compress and were stored so anyway;
-- rows stored before keep how they were stored. The change is the catalog's
-- alone, but its lock waits behind a file being stored or read: it gives up
-- after 5 s rather than hold every query of the table behind it (run the
-- migration again).
SET LOCAL lock_timeout = '5s';
ALTER TABLE attachments ALTER COLUMN data SET STORAGE EXTERNAL;

-- +goose Down
ALTER TABLE attachments ALTER COLUMN data SET STORAGE EXTENDED;
