-- What each NGO sent: one row per signed version, written first (its key is
-- what makes a resent sequence a no-op) and never changed. `record` holds the
-- exact signed bytes and `signature` the header, so the audit trail proves
-- what the NGO sent.
CREATE TABLE entry_versions (
    provider_id    text NOT NULL,
    entry_id       text NOT NULL,
    sequence       integer NOT NULL,
    action         text NOT NULL,
    assistant_id   text NOT NULL,
    order_id       text NOT NULL,
    participant_id text NOT NULL,
    start_at       timestamptz NOT NULL,
    end_at         timestamptz NOT NULL,
    activity       text NOT NULL,
    reason         text,
    event_id       text NOT NULL,
    record         bytea NOT NULL,
    signature      text NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, entry_id, sequence)
);

-- The answer to each version. `accepted` versions count until a later version
-- supersedes them (`superseded_by`: the correction's or the void's sequence),
-- the only column ever updated. A `voided` row is the accepted void itself.
CREATE TABLE entry_outcomes (
    provider_id       text NOT NULL,
    entry_id          text NOT NULL,
    sequence          integer NOT NULL,
    outcome           text NOT NULL CHECK (outcome IN ('accepted', 'voided', 'rejected')),
    code              text,
    message           text,
    assistant_id      text,
    participant_id    text,
    order_id          text,
    edition_id        text,
    start_at          timestamptz,
    end_at            timestamptz,
    minutes           integer,
    month             text,
    expenses          jsonb,
    remaining_minutes integer,
    supersedes        integer,
    superseded_by     integer,
    decided_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, entry_id, sequence),
    FOREIGN KEY (provider_id, entry_id, sequence) REFERENCES entry_versions
);
-- The counted entries, by assistant and by participant, for the overlap, 24-hour and allowance checks.
CREATE INDEX counted_by_assistant ON entry_outcomes (assistant_id, start_at) WHERE outcome = 'accepted' AND superseded_by IS NULL;
CREATE INDEX counted_by_participant ON entry_outcomes (participant_id, start_at) WHERE outcome = 'accepted' AND superseded_by IS NULL;

-- Records whose signature did not hold: answered with bad-signature, kept for
-- operators, never allowed to claim an entry's sequence.
CREATE TABLE signature_failures (
    id          bigserial PRIMARY KEY,
    provider_id text NOT NULL,
    entry_id    text NOT NULL,
    sequence    integer NOT NULL,
    event_id    text NOT NULL,
    message     text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
