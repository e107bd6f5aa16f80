-- Ordering owns the allowance ledger, the provider registry and the orders.
-- Personal data here: an order's place (an address) and a rating's comment.
-- Neither leaves these tables: not in events, not in logs.

-- Editions as eligibility published them: the period and the 12-in-24 limit.
CREATE TABLE editions (
    id                          text PRIMARY KEY,
    period_start                date NOT NULL,
    period_end                  date NOT NULL,
    assistant_daily_limit_hours integer NOT NULL CHECK (assistant_daily_limit_hours > 0),
    updated_at                  timestamptz NOT NULL DEFAULT now()
);

-- NGOs: organisations, never persons.
CREATE TABLE providers (
    id   text PRIMARY KEY,
    name text NOT NULL
);

-- A provider's contract in one edition; the insert (or a changed rate) is what
-- publishes ProviderRegistered, so a republished edition announces nothing twice.
CREATE TABLE provider_editions (
    provider_id        text NOT NULL REFERENCES providers (id),
    edition_id         text NOT NULL REFERENCES editions (id),
    hourly_rate_grosze bigint NOT NULL,
    PRIMARY KEY (provider_id, edition_id)
);

-- Assistants by id and skills: who they are stays with their NGO.
CREATE TABLE assistants (
    id           text PRIMARY KEY,
    provider_id  text NOT NULL REFERENCES providers (id),
    skills       text[] NOT NULL,
    -- [{"weekday": 1, "from": "08:00", "to": "16:00"}], Europe/Warsaw wall-clock times
    availability jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assistants_provider ON assistants (provider_id);

-- Participants an assistant may not serve (family, guardian, household).
CREATE TABLE assistant_exclusions (
    assistant_id   text NOT NULL REFERENCES assistants (id),
    participant_id text NOT NULL,
    PRIMARY KEY (assistant_id, participant_id)
);

-- The grant in force per participant and edition; a later grant for the same
-- pair replaces the earlier one.
CREATE TABLE grants (
    participant_id text NOT NULL,
    edition_id     text NOT NULL,
    grant_id       text NOT NULL,
    granted_hours  integer NOT NULL CHECK (granted_hours > 0),
    period_start   date NOT NULL,
    period_end     date NOT NULL,
    granted_on     date NOT NULL,
    -- Services after this day are no longer covered.
    revoked_on     date,
    PRIMARY KEY (participant_id, edition_id)
);
CREATE INDEX grants_grant ON grants (grant_id);

CREATE TABLE orders (
    id              text PRIMARY KEY,
    participant_id  text NOT NULL,
    edition_id      text NOT NULL,
    grant_id        text NOT NULL,
    start_at        timestamptz NOT NULL,
    end_at          timestamptz NOT NULL CHECK (end_at > start_at),
    minutes         integer NOT NULL CHECK (minutes > 0),
    activity        text NOT NULL,
    place           text NOT NULL,
    required_skills text[] NOT NULL,
    status          text NOT NULL CHECK (status IN ('placed', 'assigned', 'cancelled')),
    provider_id     text REFERENCES providers (id),
    assistant_id    text REFERENCES assistants (id),
    placed_at       timestamptz NOT NULL DEFAULT now(),
    assigned_at     timestamptz,
    cancelled_at    timestamptz,
    cancelled_by    text CHECK (cancelled_by IN ('participant', 'coordinator', 'provider')),
    CHECK (status <> 'assigned' OR (provider_id IS NOT NULL AND assistant_id IS NOT NULL))
);
CREATE INDEX orders_participant ON orders (participant_id, edition_id);
-- Double booking and the 12-in-24 limit read an assistant's assigned orders by time.
CREATE INDEX orders_assistant_time ON orders (assistant_id, start_at) WHERE status = 'assigned';

-- Timesheet's accepted entries, one row per NGO entry with its current minutes:
-- HoursAccounted inserts, a correction replaces the minutes, a void sets them to 0.
-- The sequence guard keeps a late, older version from undoing a newer one.
CREATE TABLE deliveries (
    provider_id    text NOT NULL,
    entry_id       text NOT NULL,
    sequence       integer NOT NULL,
    order_id       text NOT NULL,
    participant_id text NOT NULL,
    edition_id     text NOT NULL,
    minutes        integer NOT NULL CHECK (minutes >= 0),
    voided         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (provider_id, entry_id)
);
CREATE INDEX deliveries_order ON deliveries (order_id);
CREATE INDEX deliveries_participant ON deliveries (participant_id, edition_id);

-- One evaluation per order; the comment stays here.
CREATE TABLE ratings (
    id         text PRIMARY KEY,
    order_id   text NOT NULL UNIQUE REFERENCES orders (id),
    scores     jsonb NOT NULL,
    comment    text,
    rated_on   date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- An order as the API shows it: with its delivered minutes and whether it was rated.
CREATE VIEW order_view AS
SELECT o.id, o.participant_id, o.edition_id, o.grant_id,
       extract(epoch FROM o.start_at)::bigint AS start_epoch,
       extract(epoch FROM o.end_at)::bigint AS end_epoch,
       o.minutes::bigint AS minutes, o.activity, o.place,
       array_to_string(o.required_skills, ',') AS required_skills,
       o.status, o.provider_id, o.assistant_id, o.cancelled_by,
       COALESCE((SELECT sum(d.minutes) FROM deliveries d WHERE d.order_id = o.id), 0)::bigint AS delivered_minutes,
       EXISTS (SELECT 1 FROM ratings r WHERE r.order_id = o.id) AS rated,
       o.placed_at
FROM orders o;
