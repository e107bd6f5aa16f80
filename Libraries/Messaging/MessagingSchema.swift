import Postgres

/// The tables every service shares the shape of: its outbox and its inbox.
/// Versions 1–99 are reserved for these; a service's own migrations start at 100.
public enum MessagingSchema {
    public static let migrations: [Migration] = [
        Migration(
            version: 1, name: "create_outbox",
            sql: """
                CREATE TABLE outbox (
                    position      bigserial PRIMARY KEY,
                    event_id      text NOT NULL UNIQUE,
                    topic         text NOT NULL,
                    partition_key text NOT NULL,
                    event_type    text NOT NULL,
                    payload       bytea NOT NULL,
                    headers       jsonb,
                    created_at    timestamptz NOT NULL DEFAULT now(),
                    published_at  timestamptz
                );
                -- The relay only ever reads what is still unpublished, oldest first.
                CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;
                """),
        Migration(
            version: 2, name: "create_inbox",
            sql: """
                -- One row per event a consumer has applied; the primary key is what makes
                -- a redelivered event a no-op (insert first, in the effect's transaction).
                CREATE TABLE inbox (
                    consumer      text NOT NULL,
                    message_key   text NOT NULL,
                    topic         text NOT NULL,
                    kafka_partition integer NOT NULL,
                    kafka_offset  bigint NOT NULL,
                    received_at   timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, message_key)
                );
                """),
        Migration(
            version: 3, name: "outbox_rows_leave_when_published",
            sql: """
                -- The relay now deletes what the broker acknowledged, so every row left is
                -- unpublished and the primary key serves its reads.
                DELETE FROM outbox WHERE published_at IS NOT NULL;
                DROP INDEX outbox_unpublished;
                ALTER TABLE outbox DROP COLUMN published_at;
                """),
        Migration(
            version: 4, name: "outbox_event_ids_unindexed",
            sql: """
                -- Ids are fresh UUIDs and nothing looks a row up by one: the unique index
                -- only cost a B-tree insert into a random page for every event written.
                ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;
                """),
        Migration(
            version: 5, name: "inbox_record_digests",
            sql: """
                -- The SHA-256 of each applied record's bytes: a record that reuses an applied
                -- source and id is a redelivery only if its bytes are the same; otherwise it is
                -- another record with a reused id, and is dead-lettered instead of dropped.
                -- Rows from before carry none and count as the same bytes.
                ALTER TABLE inbox ADD COLUMN digest bytea;
                """),
        Migration(
            version: 6, name: "create_outbox_parked",
            sql: """
                -- Events the broker refused for good (too large, no such topic): out of the
                -- outbox, so they stop blocking and being retried, kept with the reason until
                -- an operator replays them. The position is the outbox's, so a replayed event
                -- takes its old place, ahead of everything written since.
                CREATE TABLE outbox_parked (
                    position      bigint PRIMARY KEY,
                    event_id      text NOT NULL,
                    topic         text NOT NULL,
                    partition_key text NOT NULL,
                    event_type    text NOT NULL,
                    payload       bytea NOT NULL,
                    headers       jsonb,
                    created_at    timestamptz NOT NULL,
                    parked_at     timestamptz NOT NULL DEFAULT now(),
                    reason        text NOT NULL
                );
                """),
        Migration(
            version: 7, name: "create_dead_letters",
            sql: """
                -- Every record this service's consumers sent to `<topic>.dlq`, written in the
                -- same transaction: what operators list and replay over HTTP without reading
                -- the .dlq topics. `message_key` is the inbox row the record took, which a
                -- replay forgets so the record is applied when it comes back.
                CREATE TABLE dead_letters (
                    id              bigserial PRIMARY KEY,
                    consumer        text NOT NULL,
                    message_key     text NOT NULL,
                    topic           text NOT NULL,
                    kafka_partition integer NOT NULL,
                    kafka_offset    bigint NOT NULL,
                    record_key      text NOT NULL,
                    payload         bytea NOT NULL,
                    headers         jsonb NOT NULL,
                    reason          text NOT NULL,
                    message         text NOT NULL,
                    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
                    replayed_at     timestamptz
                );
                CREATE INDEX dead_letters_waiting ON dead_letters (id) WHERE replayed_at IS NULL;
                """),
    ]
}
