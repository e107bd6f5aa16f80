-- The minutes each participant has counted in each edition, kept with every
-- batch's changes, so checking an allowance reads one row instead of summing
-- all of a participant's entries (a cost that grew with the table).
CREATE TABLE participant_usage (
    participant_id text NOT NULL,
    edition_id     text NOT NULL,
    minutes        bigint NOT NULL,
    PRIMARY KEY (participant_id, edition_id)
);
INSERT INTO participant_usage (participant_id, edition_id, minutes)
SELECT participant_id, edition_id, sum(minutes) FROM entry_outcomes
WHERE outcome = 'accepted' AND superseded_by IS NULL
GROUP BY participant_id, edition_id;
