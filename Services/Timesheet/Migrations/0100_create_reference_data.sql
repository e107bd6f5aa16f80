-- Timesheet's own copies of what other services announce: editions
-- (eligibility), grants (eligibility), providers, assistants and orders
-- (ordering). Written only by the event handlers; read by the entry checks.

CREATE TABLE editions (
    edition_id                  text PRIMARY KEY,
    period_start                date NOT NULL,
    period_end                  date NOT NULL,
    assistant_daily_limit_hours integer NOT NULL
);

CREATE TABLE providers (
    provider_id text PRIMARY KEY,
    edition_id  text NOT NULL
);

-- Also the lock a batch takes on each assistant it checks (SELECT … FOR UPDATE,
-- in id order), because an assistant works for participants on every partition.
CREATE TABLE assistants (
    assistant_id text PRIMARY KEY,
    provider_id  text NOT NULL
);

-- A participant is known once granted support; the row is the participant's lock.
CREATE TABLE participants (
    participant_id text PRIMARY KEY
);

CREATE TABLE grants (
    grant_id       text PRIMARY KEY,
    participant_id text NOT NULL REFERENCES participants,
    edition_id     text NOT NULL,
    hours          integer NOT NULL,
    period_start   date NOT NULL,
    period_end     date NOT NULL,
    revoked_on     date
);
CREATE INDEX grants_by_participant ON grants (participant_id);

CREATE TABLE orders (
    order_id       text PRIMARY KEY,
    participant_id text NOT NULL,
    edition_id     text NOT NULL,
    start_at       timestamptz NOT NULL,
    end_at         timestamptz NOT NULL,
    provider_id    text,
    assistant_id   text,
    cancelled_at   timestamptz
);
