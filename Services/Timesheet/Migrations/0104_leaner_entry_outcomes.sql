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

-- The foreign key to entry_versions locked each answered version's row (KEY SHARE,
-- a heap write and its WAL) for every outcome: a tenth of the backlog's throughput
-- with PostgreSQL's default durability. One statement writes outcomes, in the
-- transaction that has just inserted those very versions (EntryStore.saveOutcomes
-- after insertVersions), and the timesheet tests check every outcome has its version.
ALTER TABLE entry_outcomes DROP CONSTRAINT entry_outcomes_provider_id_entry_id_sequence_fkey;
