-- What participants say of their visits on the monthly card: MonthConfirmed adds
-- confirmed minutes, VisitContested contested ones, ContestSettled takes them back
-- (and, when an operator decided the visit stands, counts them as confirmed). One row
-- per event, so a closed month counts only what was said before it closed, and a
-- replay in any order sums to the same figures.
CREATE TABLE card_changes (
    event_key         text PRIMARY KEY,
    edition_id        text NOT NULL,
    month             text NOT NULL,
    provider_id       text NOT NULL,
    confirmed_minutes bigint NOT NULL,
    contested_minutes bigint NOT NULL,
    event_time_us     bigint NOT NULL
);
CREATE INDEX card_changes_by_month ON card_changes (edition_id, month);
