-- Applications: personal data sealed (AES-GCM) in personal_data; the person is
-- found again only through pesel_hash (HMAC-SHA256 of edition and PESEL).
CREATE TABLE applications (
    id                        text PRIMARY KEY,
    edition_id                text NOT NULL,
    participant_id            text NOT NULL UNIQUE,
    pesel_hash                bytea NOT NULL,
    personal_data             bytea NOT NULL,
    age                       jsonb NOT NULL,
    certificate               jsonb NOT NULL,
    declared_needs            jsonb NOT NULL,
    legally_incapacitated     boolean NOT NULL,
    resides_in_programme_area boolean NOT NULL,
    status                    text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'withdrawn')),
    submitted_on              date NOT NULL,
    withdrawn_on              date,
    created_at                timestamptz NOT NULL DEFAULT now()
);
-- The same person applies once per edition: the insert-first duplicate check.
CREATE UNIQUE INDEX applications_person_per_edition ON applications (edition_id, pesel_hash);

-- Documents: bytes and file names sealed like the personal data; the SHA-256 is of the plain bytes.
CREATE TABLE documents (
    id             text PRIMARY KEY,
    application_id text NOT NULL REFERENCES applications (id),
    kind           text NOT NULL,
    file_name      bytea,
    content        bytea,
    size_bytes     integer,
    sha256         text,
    reference      bytea,
    added_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((content IS NULL) <> (reference IS NULL))
);
CREATE INDEX documents_by_application ON documents (application_id);
