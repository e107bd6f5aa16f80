-- Editions as loaded from deploy/editions/*.json; content_hash tells a changed file.
CREATE TABLE editions (
    id           text PRIMARY KEY,
    rules        jsonb NOT NULL,
    content_hash text NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now()
);

-- The facts intake announced (no personal data), kept to re-decide when documents arrive.
CREATE TABLE applications (
    application_id text PRIMARY KEY,
    participant_id text NOT NULL,
    edition_id     text NOT NULL,
    facts          jsonb NOT NULL,
    withdrawn_on   date
);

-- One decision per application; re-decided while automatic and open.
-- state: open (automatic, awaiting an operator or documents), settled (confirmed or
-- overridden), withdrawn (the application was withdrawn).
CREATE TABLE decisions (
    id                    text PRIMARY KEY,
    application_id        text NOT NULL UNIQUE REFERENCES applications (application_id),
    participant_id        text NOT NULL,
    edition_id            text NOT NULL,
    outcome               text NOT NULL CHECK (outcome IN ('granted', 'rejected', 'waiting-for-documents')),
    reasons               text[] NOT NULL DEFAULT '{}',
    missing_documents     text[] NOT NULL DEFAULT '{}',
    group_category        text,
    multiple_disabilities boolean,
    hours                 integer,
    period_start          date,
    period_end            date,
    decided_on            date NOT NULL,
    reviewed_on           date,
    review                text NOT NULL DEFAULT 'automatic' CHECK (review IN ('automatic', 'confirmed', 'overridden')),
    state                 text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'settled', 'withdrawn')),
    grant_id              text UNIQUE
);
CREATE INDEX decisions_awaiting_review ON decisions (id) WHERE state = 'open' AND review = 'automatic' AND outcome <> 'waiting-for-documents';

CREATE TABLE grants (
    id                    text PRIMARY KEY,
    decision_id           text NOT NULL REFERENCES decisions (id),
    participant_id        text NOT NULL,
    application_id        text NOT NULL,
    edition_id            text NOT NULL,
    group_category        text NOT NULL,
    multiple_disabilities boolean NOT NULL,
    hours                 integer NOT NULL CHECK (hours > 0),
    period_start          date NOT NULL,
    period_end            date NOT NULL,
    granted_on            date NOT NULL,
    revoked_on            date
);
CREATE INDEX grants_by_decision ON grants (decision_id);

-- Who did what to a decision, when and why. Justifications stay here: never in events or logs.
CREATE TABLE decision_audit (
    id            bigserial PRIMARY KEY,
    decision_id   text NOT NULL REFERENCES decisions (id),
    action        text NOT NULL CHECK (action IN ('confirmed', 'overridden', 'revoked', 'withdrawn')),
    operator      text NOT NULL,
    justification text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decision_audit_by_decision ON decision_audit (decision_id, id);
