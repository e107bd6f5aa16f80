-- Each query of counted entries must be able to use only its own index. With
-- the same predicate on both, a young table without statistics had the planner
-- scan the whole participant index for an assistant's entries, every batch.
-- `x = $1` implies `x IS NOT NULL`, so each query still proves its index usable.
DROP INDEX counted_by_assistant;
DROP INDEX counted_by_participant;
CREATE INDEX counted_by_assistant ON entry_outcomes (assistant_id, start_at)
    WHERE outcome = 'accepted' AND superseded_by IS NULL AND assistant_id IS NOT NULL;
CREATE INDEX counted_by_participant ON entry_outcomes (participant_id, start_at)
    WHERE outcome = 'accepted' AND superseded_by IS NULL AND participant_id IS NOT NULL;
