-- Reporting's read models. Built only from events; every table can be dropped
-- and rebuilt by replaying the topics. Months are 'YYYY-MM', amounts grosze,
-- instants microseconds since 1970 (the event's CloudEvents time).

-- EditionPublished: the rules as published (budget, targets, caps, rate cap).
CREATE TABLE editions (
    edition_id      text PRIMARY KEY,
    rules           text NOT NULL,
    rate_cap        bigint NOT NULL,
    published_at_us bigint NOT NULL
);

-- Contracted hourly rates: from the edition file, or from ProviderRegistered for
-- a provider the file does not list. The edition's rate wins when both exist.
CREATE TABLE edition_providers (
    edition_id      text NOT NULL,
    provider_id     text NOT NULL,
    name            text NOT NULL,
    edition_rate    bigint,
    registered_rate bigint,
    PRIMARY KEY (edition_id, provider_id)
);

CREATE TABLE assistants (
    assistant_id text PRIMARY KEY,
    provider_id  text NOT NULL
);

-- SupportGranted / SupportRevoked (a revocation may be seen before its grant).
CREATE TABLE grants (
    grant_id       text PRIMARY KEY,
    edition_id     text NOT NULL,
    participant_id text NOT NULL,
    category       text NOT NULL,
    multiple       boolean NOT NULL,
    period_start   date NOT NULL,
    period_end     date NOT NULL,
    granted_on     date NOT NULL,
    granted_at_us  bigint NOT NULL
);
CREATE INDEX grants_by_participant ON grants (edition_id, participant_id, granted_on DESC, grant_id DESC);

CREATE TABLE revocations (
    grant_id      text PRIMARY KEY,
    revoked_on    date NOT NULL,
    revoked_at_us bigint NOT NULL
);

-- MonthClosed: from then on the month's figures change only through the corrections ledger.
CREATE TABLE closed_months (
    edition_id   text NOT NULL,
    month        text NOT NULL,
    closed_at_us bigint NOT NULL,
    PRIMARY KEY (edition_id, month)
);

-- One row per effect of HoursAccounted / TimesheetEntryCorrected / TimesheetEntryVoided
-- (a correction that moves an entry to another month has two parts). `cost` is set
-- once the provider's rate is known; `late` marks a change made after its month
-- was closed: it stays out of the month's figures and forms the corrections ledger.
CREATE TABLE timesheet_changes (
    event_key       text NOT NULL,
    part            smallint NOT NULL,
    edition_id      text NOT NULL,
    month           text NOT NULL,
    provider_id     text NOT NULL,
    participant_id  text NOT NULL,
    assistant_id    text NOT NULL,
    kind            text NOT NULL,
    minutes_added   bigint NOT NULL,
    minutes_removed bigint NOT NULL,
    entries         bigint NOT NULL,
    travel          bigint NOT NULL,
    tickets         bigint NOT NULL,
    protective      bigint NOT NULL,
    event_time_us   bigint NOT NULL,
    reason          text,
    cost            bigint,
    late            boolean NOT NULL DEFAULT false,
    PRIMARY KEY (event_key, part)
);
CREATE INDEX timesheet_changes_by_month ON timesheet_changes (edition_id, month, event_time_us);
CREATE INDEX timesheet_changes_unpriced ON timesheet_changes (edition_id, provider_id) WHERE cost IS NULL;
CREATE INDEX timesheet_changes_late ON timesheet_changes (edition_id) WHERE late;

-- Minutes, costs and entries per edition × month × provider × participant (the
-- participant's group is joined at export from the grants).
CREATE TABLE deliveries (
    edition_id     text NOT NULL,
    month          text NOT NULL,
    provider_id    text NOT NULL,
    participant_id text NOT NULL,
    minutes        bigint NOT NULL,
    cost           bigint NOT NULL,
    entries        bigint NOT NULL,
    PRIMARY KEY (edition_id, month, provider_id, participant_id)
);

-- Per assistant and month: activity and reported expenses (capped at export).
CREATE TABLE assistant_months (
    edition_id   text NOT NULL,
    month        text NOT NULL,
    assistant_id text NOT NULL,
    provider_id  text NOT NULL,
    minutes      bigint NOT NULL,
    entries      bigint NOT NULL,
    travel       bigint NOT NULL,
    tickets      bigint NOT NULL,
    protective   bigint NOT NULL,
    PRIMARY KEY (edition_id, month, assistant_id, provider_id)
);

-- ServiceRated, summed per provider and question.
CREATE TABLE rating_scores (
    edition_id  text NOT NULL,
    month       text NOT NULL,
    provider_id text NOT NULL,
    question    text NOT NULL,
    score_sum   bigint NOT NULL,
    answers     bigint NOT NULL,
    PRIMARY KEY (edition_id, month, provider_id, question)
);

CREATE TABLE rated_services (
    edition_id  text NOT NULL,
    month       text NOT NULL,
    provider_id text NOT NULL,
    ratings     bigint NOT NULL,
    PRIMARY KEY (edition_id, month, provider_id)
);

-- OrderPlaced / OrderAssigned / OrderCancelled: one row per order for its month
-- (null until the placement is seen), and the counts per month.
CREATE TABLE orders (
    order_id   text PRIMARY KEY,
    edition_id text NOT NULL,
    month      text,
    assigned   boolean NOT NULL DEFAULT false,
    cancelled  boolean NOT NULL DEFAULT false
);

CREATE TABLE order_months (
    edition_id text NOT NULL,
    month      text NOT NULL,
    placed     bigint NOT NULL DEFAULT 0,
    assigned   bigint NOT NULL DEFAULT 0,
    cancelled  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (edition_id, month)
);

-- The newest event time applied, for the exports' Last-Modified header.
CREATE TABLE applied_state (
    singleton            boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_event_time_us   bigint NOT NULL
);
INSERT INTO applied_state (singleton, last_event_time_us) VALUES (true, 0);
