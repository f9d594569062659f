-- +goose Up
-- The application and brand lists are read newest first, a page at a time
-- (ListApplications: submitted_at, id; ListBrands: admitted_on, id). Without
-- an index in that order an unfiltered first page reads and sorts the whole
-- table (issue 15 item 8: 12,000 applications, 10,000 brands).
CREATE INDEX applications_newest ON applications (submitted_at DESC, id DESC);
CREATE INDEX brands_newest ON brands (admitted_on DESC, id DESC);

-- +goose Down
DROP INDEX brands_newest;
DROP INDEX applications_newest;
