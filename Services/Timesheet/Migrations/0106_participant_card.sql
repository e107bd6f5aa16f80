-- The participant's monthly card ("karta realizacji usług"). A participant (or
-- their guardian) confirms a month once; the confirmation covers the versions that
-- counted then and were not contested. A version the NGO sends later (a correction)
-- is not covered: the card shows it as changed after confirmation, and the month's
-- summary counts it unconfirmed. A contested version stays counted until the NGO
-- supersedes it (corrected or voided) or an operator decides it stands.
CREATE TABLE month_confirmations (
    participant_id text NOT NULL,
    month          text NOT NULL,
    confirmed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (participant_id, month)
);

CREATE TABLE confirmed_versions (
    provider_id    text NOT NULL,
    entry_id       text NOT NULL,
    sequence       integer NOT NULL,
    participant_id text NOT NULL,
    month          text NOT NULL,
    PRIMARY KEY (provider_id, entry_id, sequence)
);
CREATE INDEX confirmed_versions_by_participant ON confirmed_versions (participant_id, month);

CREATE TABLE contests (
    provider_id    text NOT NULL,
    entry_id       text NOT NULL,
    sequence       integer NOT NULL,
    participant_id text NOT NULL,
    assistant_id   text NOT NULL,
    edition_id     text NOT NULL,
    month          text NOT NULL,
    minutes        integer NOT NULL,
    reason         text NOT NULL CHECK (reason IN ('absent', 'shorter', 'different-person', 'other')),
    comment        text,
    contested_at   timestamptz NOT NULL DEFAULT now(),
    settled_at     timestamptz,
    outcome        text CHECK (outcome IN ('corrected', 'voided', 'stands')),
    PRIMARY KEY (provider_id, entry_id, sequence)
);
CREATE INDEX contests_by_participant ON contests (participant_id, month);
CREATE INDEX open_contests_by_month ON contests (edition_id, month) WHERE settled_at IS NULL;

-- Versions timesheet signed on the assistants' channel (an assistant's visit, a
-- correction or void from the portal), claimed when queued: a second submit of the
-- same version (a double click, two tabs) is refused at once instead of becoming
-- a resend that gets no answer, and a change waits for the previous one's answer.
CREATE TABLE channel_versions (
    provider_id text NOT NULL,
    entry_id    text NOT NULL,
    sequence    integer NOT NULL,
    queued_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, entry_id, sequence)
);
