-- +goose Up
-- Signed paper (issue 14): the scan of a printed form signed, sealed and
-- dated in ink — 附件1's 承诺人 block, 附件2's and 附件3's 申请人签字盖章 —
-- uploaded back with the facts on it, entered by whoever uploads it: who
-- signed, on which day, and whether the seal is on it.
CREATE TABLE signed_forms (
    id             text PRIMARY KEY,
    form           text NOT NULL CHECK (form IN ('attachment1', 'attachment2', 'attachment3')),
    application_id text REFERENCES applications(id),
    brand_id       text REFERENCES brands(id),
    change_id      text REFERENCES brand_changes(id),
    signer         text NOT NULL,
    signed_on      date NOT NULL,
    seal_present   boolean NOT NULL,
    name           text NOT NULL,
    content_type   text NOT NULL,
    size           bigint NOT NULL,
    sha256         text NOT NULL,
    data           bytea NOT NULL,
    uploaded_at    timestamptz NOT NULL,
    uploaded_by    text NOT NULL,
    uploaded_role  text NOT NULL,
    CHECK ((form = 'attachment1') = (application_id IS NOT NULL)),
    CHECK ((form = 'attachment1') = (brand_id IS NULL)),
    CHECK ((form = 'attachment2') = (change_id IS NOT NULL))
);
CREATE INDEX signed_forms_application ON signed_forms (application_id) WHERE application_id IS NOT NULL;
CREATE INDEX signed_forms_brand ON signed_forms (brand_id) WHERE brand_id IS NOT NULL;

-- +goose Down
DROP TABLE signed_forms;
